import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { classifyRequestError, describeRequestError, isRetryableStatus } from './retry-policy';

/** One HTTP exchange with an upstream; node:http with keep-alive agents, so events reuse sockets instead of a TCP handshake each. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface WebhookRequest {
  readonly method: 'POST' | 'OPTIONS' | 'GET';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** A failure without an HTTP status: a network error, a timeout, or a local error (see retry-policy.ts). */
export class WebhookTransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    /** True only for network errors, which a later attempt may not meet. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'WebhookTransportError';
  }

  static from(error: unknown): WebhookTransportError {
    if (error instanceof WebhookTransportError) return error;
    const retryable = classifyRequestError(error) === 'network';
    return new WebhookTransportError(retryable ? describeRequestError(error) : `local error, not retried: ${describeRequestError(error)}`, false, retryable);
  }
}

/** docs/protocol/cloud-events.md §11: upstream replies larger than 16 MB fail [emulator]. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type ParsedTarget = ReturnType<typeof urlToHttpOptions>;
const MAX_CACHED_TARGETS = 256;

export class WebhookClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });
  private closed = false;
  private readonly targets = new Map<string, ParsedTarget>();

  /** One attempt, aborted after `timeoutMs`. Rejects with WebhookTransportError. */
  send(request: WebhookRequest, timeoutMs: number): Promise<WebhookResponse> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new WebhookTransportError('the emulator is shutting down', false));
        return;
      }
      const target = this.targetOf(request.url);
      if (target === undefined) {
        reject(new WebhookTransportError('invalid URL', false));
        return;
      }
      const isHttps = target.protocol === 'https:';
      const headers: Record<string, string | number> = request.body ? { ...request.headers, 'Content-Length': request.body.length } : request.headers;
      let settled = false;
      const fail = (e: WebhookTransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      };
      let req: http.ClientRequest;
      try {
        // node:http throws synchronously for a header it refuses (ERR_INVALID_CHAR…): a local error.
        req = (isHttps ? https : http).request({ ...target, method: request.method, headers, agent: isHttps ? this.httpsAgent : this.httpAgent }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy();
              fail(new WebhookTransportError('the reply is larger than 16 MB', false));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (e) => fail(WebhookTransportError.from(e)));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          });
        });
      } catch (e) {
        reject(WebhookTransportError.from(e));
        return;
      }
      const timer = setTimeout(() => {
        fail(new WebhookTransportError(`no reply within ${timeoutMs} ms`, true));
        req.destroy();
      }, timeoutMs);
      req.on('error', (e) => fail(WebhookTransportError.from(e)));
      req.end(request.body);
    });
  }

  /**
   * docs/protocol/cloud-events.md §11 [emulator]: retries on 408, 5xx and network errors after the given delays (same
   * request, so the same ce-id); no retry on other statuses, on local errors (retry-policy.ts) or when the
   * overall timeout expires.
   * Resolves with the last reply; rejects with the last transport error.
   */
  async sendWithRetry(request: WebhookRequest, options: { timeoutMs: number; retryDelaysMs: readonly number[] }): Promise<WebhookResponse> {
    const deadline = Date.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WebhookTransportError(`no reply within ${options.timeoutMs} ms`, true);
      let retryable: boolean;
      let outcome: WebhookResponse | WebhookTransportError;
      try {
        outcome = await this.send(request, remaining);
        retryable = isRetryableStatus(outcome.status);
      } catch (e) {
        outcome = WebhookTransportError.from(e);
        // An attempt gets what is left of the overall timeout, so its own timeout is the overall one:
        // name that figure (the attempt's share is a millisecond or two less and would read oddly).
        if (outcome.timedOut) outcome = new WebhookTransportError(`no reply within ${options.timeoutMs} ms`, true);
        retryable = outcome.retryable && !outcome.timedOut;
      }
      const delay = options.retryDelaysMs[attempt];
      if (!retryable || delay === undefined || Date.now() + delay >= deadline) {
        if (outcome instanceof WebhookTransportError) throw outcome;
        return outcome;
      }
      await new Promise((r) => setTimeout(r, delay).unref());
    }
  }

  /**
   * The request options of a URL, parsed once: every event to a handler goes to the same few URLs (the
   * `{event}` placeholder makes one per event name, which clients choose, hence the bound).
   */
  private targetOf(url: string): ParsedTarget | undefined {
    let target = this.targets.get(url);
    if (target === undefined) {
      try {
        target = urlToHttpOptions(new URL(url));
      } catch {
        return undefined;
      }
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  /** Closes idle keep-alive sockets (emulator shutdown). */
  close(): void {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
