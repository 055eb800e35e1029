import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP request and its whole reply, over keep-alive sockets: the transport under the app's REST calls
 * (Web PubSub through the SDK's pipeline, shared/hub/rest-http-client.ts; SignalR Service,
 * shared/signalr/rest-client.ts). Those calls carry small JSON bodies and get small replies, so the body is
 * written in one piece and the reply collected in one buffer: no abort controller, stream or web `Response`
 * per call, which is what `fetch` and the SDK's Node client cost.
 */

/** What the exchange needs of an abort signal (an `AbortSignal`, or the Azure SDK's `AbortSignalLike`). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface ExchangeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body?: string | Uint8Array;
  /** Aborts the exchange when it fires (AbortError). */
  readonly signal?: AbortSignalLike;
  /** The whole exchange, reply included, must finish within this (AbortError); none when 0 or absent. */
  readonly timeoutMs?: number;
}

export interface ExchangeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Empty for HEAD. */
  readonly body: Buffer;
}

export type HttpExchange = (request: ExchangeRequest) => Promise<ExchangeResponse>;

/** The exchange was aborted by its signal or its timeout. `name` is what the Azure SDK and callers test. */
export class AbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortError';
  }
}

/** The reply started but could not be read to its end (the connection broke mid-body). */
export class ReplyReadError extends Error {
  constructor(cause: Error) {
    super(`the reply could not be read: ${cause.message}`, { cause });
    this.name = 'ReplyReadError';
  }
}

/**
 * An exchange with its own keep-alive agents (one per protocol). Errors: AbortError; ReplyReadError;
 * otherwise the request's own error as Node raised it, with its system `code` (`ECONNREFUSED`, …) or
 * `ERR_*` code for a request Node refused (a bad header, an unsupported protocol).
 */
export function createHttpExchange(): HttpExchange {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return (request) => exchange(request, agents);
}

let shared: HttpExchange | undefined;

/** The process's one exchange: every REST client of the app (Web PubSub, SignalR) shares its keep-alive sockets. */
export function sharedHttpExchange(): HttpExchange {
  return (shared ??= createHttpExchange());
}

function exchange(request: ExchangeRequest, agents: Record<'http:' | 'https:', http.Agent>): Promise<ExchangeResponse> {
  const signal = request.signal;
  if (signal?.aborted) return Promise.reject(new AbortError('The operation was aborted. Request has already been canceled.'));
  let url: URL;
  try {
    url = new URL(request.url);
  } catch (e) {
    return Promise.reject(e);
  }
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    return Promise.reject(Object.assign(new Error(`Unsupported protocol ${protocol} in ${url.origin}`), { code: 'ERR_INVALID_PROTOCOL' }));
  }
  const body = request.body;
  const headers: Record<string, string | number> = { ...request.headers };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  }

  return new Promise<ExchangeResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let req: http.ClientRequest | undefined;
    const finish = (error: unknown, response?: ExchangeResponse) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
      if (error === undefined) resolve(response!);
      else reject(error);
    };
    const abortWith = (message: string) => {
      const error = new AbortError(message);
      finish(error);
      req?.destroy(error);
    };
    const onAbort = () => abortWith('The operation was aborted. Rejecting from abort signal callback while making request.');
    try {
      // node:http throws at once for a request it refuses (ERR_INVALID_CHAR in a header, …).
      req = (protocol === 'https:' ? https : http).request(
        { agent: agents[protocol], protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers },
        (res) => {
          const status = res.statusCode ?? 0;
          if (request.method === 'HEAD') {
            res.resume();
            finish(undefined, { status, headers: res.headers, body: Buffer.alloc(0) });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (e) => finish(e.name === 'AbortError' ? e : new ReplyReadError(e)));
          res.on('end', () => finish(undefined, { status, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
        },
      );
    } catch (e) {
      finish(e);
      return;
    }
    req.once('error', (e) => finish(e));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = request.timeoutMs ?? 0;
    if (timeoutMs > 0) timer = setTimeout(() => abortWith(`The request to ${url.origin} timed out after ${timeoutMs} ms.`), timeoutMs);
    req.end(body);
  });
}
