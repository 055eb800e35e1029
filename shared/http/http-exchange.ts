import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

/**
 * One HTTP request and its whole reply, over keep-alive sockets: the transport under the app's REST calls
 * (Web PubSub through the SDK's pipeline, shared/hub/rest-http-client.ts; SignalR Service,
 * shared/signalr/rest-client.ts). Those calls carry small JSON bodies and get small replies, so the body is
 * written in one piece and the reply collected in one buffer straight from undici's parser callbacks: no
 * abort controller, stream or web `Response` per call (what `fetch` and the SDK's Node client cost), and no
 * ClientRequest or IncomingMessage either (node:http's): about half the client CPU per call of node:http
 * (docs/functions-app.md). TLS uses Node's default trust store, NODE_EXTRA_CA_CERTS included.
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
  readonly headers: IncomingHttpHeaders;
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
 * An exchange with its own keep-alive connection pools (one per origin). Errors: AbortError;
 * ReplyReadError; otherwise the request's own error with a Node system `code` (`ECONNREFUSED`,
 * `ECONNRESET` for a connection closed before the reply, `ETIMEDOUT` for one that could not be opened in
 * time, …), `ERR_INVALID_PROTOCOL`, or undici's `UND_ERR_INVALID_ARG` for a request it refuses (a header
 * value it will not send). The pools are made on the first request, so an app that never calls REST never
 * loads undici.
 */
export function createHttpExchange(): HttpExchange {
  let dispatcher: Dispatcher | undefined;
  // Timeouts are the caller's (timeoutMs covers the whole exchange), so undici's own are off.
  return (request) => exchange(request, (dispatcher ??= new Agent({ headersTimeout: 0, bodyTimeout: 0 })));
}

let shared: HttpExchange | undefined;

/** The process's one exchange: every REST client of the app (Web PubSub, SignalR) shares its keep-alive sockets. */
export function sharedHttpExchange(): HttpExchange {
  return (shared ??= createHttpExchange());
}

/** undici's names for two failures the SDK's retry policy knows by their Node system codes. */
const SYSTEM_CODES: Readonly<Record<string, string>> = { UND_ERR_SOCKET: 'ECONNRESET', UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT' };

function withSystemCode(error: Error): Error {
  const code = SYSTEM_CODES[(error as NodeJS.ErrnoException).code ?? ''];
  return code === undefined ? error : Object.assign(new Error(error.message, { cause: error }), { code });
}

function exchange(request: ExchangeRequest, dispatcher: Dispatcher): Promise<ExchangeResponse> {
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
  const headers: Record<string, string> = {};
  for (const name in request.headers) headers[name] = String(request.headers[name]);

  return new Promise<ExchangeResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let cancel: AbortError | undefined;
    let status = 0;
    let replyHeaders: IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    const finish = (error: unknown, response?: ExchangeResponse) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
      if (error === undefined) resolve(response!);
      else reject(error);
    };
    const abortWith = (message: string) => {
      cancel = new AbortError(message);
      finish(cancel);
      if (controller !== undefined && !controller.aborted) controller.abort(cancel);
    };
    const onAbort = () => abortWith('The operation was aborted. Rejecting from abort signal callback while making request.');
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (cancel !== undefined) c.abort(cancel);
      },
      onResponseStart(_c, statusCode, h) {
        status = statusCode;
        replyHeaders = h;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        finish(undefined, { status, headers: replyHeaders ?? {}, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
      onResponseError(_c, error) {
        if (error.name === 'AbortError') finish(error);
        else finish(replyHeaders === undefined ? withSystemCode(error) : new ReplyReadError(error));
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = request.timeoutMs ?? 0;
    if (timeoutMs > 0) timer = setTimeout(() => abortWith(`The request to ${url.origin} timed out after ${timeoutMs} ms.`), timeoutMs);
    try {
      // undici refuses some requests at once (a header value it will not send, …).
      dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: request.method, headers, body: request.body ?? null }, handler);
    } catch (e) {
      finish(e);
    }
  });
}
