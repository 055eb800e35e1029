import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { classifyRequestError, describeRequestError, isRetryableStatus } from './retry-policy';

/**
 * One HTTP exchange with an upstream, over keep-alive sockets so that events reuse connections instead of a
 * TCP handshake each. undici's dispatcher rather than node:http: the reply is collected straight from its
 * parser callbacks, with no ClientRequest, IncomingMessage or stream per event (about half the client CPU
 * per call of node:http in a micro-benchmark of 16 concurrent POSTs). TLS uses Node's default trust store
 * (NODE_EXTRA_CA_CERTS included), as node:https did.
 */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
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

/** Where a URL's requests go: the origin picks the connection pool, the path is sent as is. */
interface Target {
  readonly origin: string;
  readonly path: string;
  /** `Basic …` from the URL's user info (`https://user:pass@host/`), which node:http sent and undici does not. */
  readonly authorization?: string;
}
const MAX_CACHED_TARGETS = 256;

export class WebhookClient {
  // Timeouts are the caller's (send's timeoutMs covers the whole exchange), so undici's own are off.
  private readonly dispatcher = new Agent({ connections: 256, headersTimeout: 0, bodyTimeout: 0 });
  private closed = false;
  private readonly targets = new Map<string, Target>();

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
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      let cancel: Error | undefined;
      const settle = (error: WebhookTransportError | undefined, response?: WebhookResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve(response!);
        else reject(error);
      };
      /** Fails the exchange now and stops it, whether or not it has reached a socket yet. */
      const abort = (error: WebhookTransportError) => {
        settle(error);
        cancel = error;
        if (controller !== undefined && !controller.aborted) controller.abort(error);
      };
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      let size = 0;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (cancel !== undefined) c.abort(cancel);
        },
        onResponseStart(_c, statusCode, replyHeaders) {
          status = statusCode;
          headers = replyHeaders;
        },
        onResponseData(_c, chunk) {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) abort(new WebhookTransportError('the reply is larger than 16 MB', false));
          else chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined, { status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
        },
        onResponseError(_c, error) {
          settle(WebhookTransportError.from(error));
        },
      };
      const timer = setTimeout(() => abort(new WebhookTransportError(`no reply within ${timeoutMs} ms`, true)), timeoutMs);
      try {
        // undici refuses some requests at once (a header value it will not send, …): a local error.
        this.dispatcher.dispatch(
          { origin: target.origin, path: target.path, method: request.method, headers: headersFor(request, target), body: request.body ?? null },
          handler,
        );
      } catch (e) {
        settle(WebhookTransportError.from(e));
      }
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
  private targetOf(url: string): Target | undefined {
    let target = this.targets.get(url);
    if (target === undefined) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return undefined;
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
      const user = parsed.username || parsed.password ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : undefined;
      target = {
        origin: parsed.origin,
        path: parsed.pathname + parsed.search,
        ...(user !== undefined ? { authorization: `Basic ${Buffer.from(user, 'utf8').toString('base64')}` } : {}),
      };
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  /** Closes idle keep-alive sockets (emulator shutdown). */
  close(): void {
    this.closed = true;
    // destroy, not close: in-flight exchanges fail now rather than holding the shutdown.
    this.dispatcher.destroy().catch(() => undefined);
  }
}

/** The request's headers, with the URL's user info as Basic credentials unless the request has its own. */
function headersFor(request: WebhookRequest, target: Target): Record<string, string> {
  if (target.authorization === undefined || Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization')) return request.headers;
  return { ...request.headers, Authorization: target.authorization };
}
