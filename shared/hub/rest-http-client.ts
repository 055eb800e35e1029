import { createDefaultHttpClient, createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { gunzipSync, inflateSync } from 'node:zlib';
import { ReplyReadError, sharedHttpExchange, type HttpExchange } from '../http/http-exchange';

/**
 * The HTTP transport under `@azure/web-pubsub`'s pipeline (`httpClient` in the client options): the
 * pipeline and every policy stay (serialization, retries, auth, error mapping); only the last step, the
 * socket exchange, is this one (shared/http/http-exchange.ts). The SDK's own Node client
 * (`@typespec/ts-http-runtime` NodeHttpClient) builds an AbortController, adds and later removes an abort
 * listener, and pipes the reply through streams for every call, whatever the call; the REST calls this app
 * makes are small JSON bodies with small replies: on a keep-alive socket this is about 1.4x the calls per
 * CPU second (bench/micro/rest-send.mjs, docs/benchmarks.md).
 *
 * It takes what the SDK's client takes, with the same results and errors: string or byte bodies,
 * `abortSignal`, `timeout`, `allowInsecureConnection`, gzip/deflate replies, HEAD. Anything else (a stream
 * or function body, progress callbacks, streamed replies, a proxy or custom agent, TLS settings, keep-alive
 * turned off, request overrides) goes to the SDK's own client unchanged.
 */
export function createRestHttpClient(fallback: HttpClient = createDefaultHttpClient(), exchange: HttpExchange = sharedHttpExchange()): HttpClient {
  return {
    sendRequest(request) {
      return isPlain(request) ? send(request, exchange) : fallback.sendRequest(request);
    },
  };
}

/** A request this client carries itself (see createRestHttpClient). */
export function isPlain(request: PipelineRequest): boolean {
  const body = request.body;
  return (
    (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array) &&
    request.agent === undefined &&
    request.tlsSettings === undefined &&
    request.proxySettings === undefined &&
    request.requestOverrides === undefined &&
    request.disableKeepAlive !== true &&
    request.onUploadProgress === undefined &&
    request.onDownloadProgress === undefined &&
    !request.streamResponseStatusCodes?.size &&
    request.multipartBody === undefined &&
    request.formData === undefined
  );
}

async function send(request: PipelineRequest, exchange: HttpExchange): Promise<PipelineResponse> {
  if (!request.allowInsecureConnection && request.url.startsWith('http:')) {
    throw new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`);
  }
  const encoding = request.headers.get('Accept-Encoding');
  const decompress = encoding !== undefined && (encoding.includes('gzip') || encoding.includes('deflate'));
  let reply;
  try {
    reply = await exchange({
      url: request.url,
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
      ...(request.body !== undefined && request.body !== null ? { body: request.body as string | Uint8Array } : {}),
      ...(request.abortSignal ? { signal: request.abortSignal } : {}),
      ...(request.timeout > 0 ? { timeoutMs: request.timeout } : {}),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'AbortError') throw err;
    if (err instanceof ReplyReadError) throw new RestError(`Error reading response as text: ${err.message}`, { code: RestError.PARSE_ERROR });
    // As the SDK's client: the system code (the retry policy retries ECONNREFUSED, ECONNRESET, …).
    throw new RestError(err.message, { code: err.code ?? RestError.REQUEST_SEND_ERROR, request });
  }
  const headers = createHttpHeaders();
  for (const name in reply.headers) {
    const value = reply.headers[name];
    // As the SDK's client: the first of a repeated header.
    const first = Array.isArray(value) ? value[0] : value;
    if (first) headers.set(name, first);
  }
  if (request.method === 'HEAD') return { status: reply.status, headers, request };
  let text: string;
  try {
    text = (decompress ? decoded(reply.body, reply.headers['content-encoding']) : reply.body).toString('utf8');
  } catch (e) {
    throw new RestError(`Error reading response as text: ${(e as Error).message}`, { code: RestError.PARSE_ERROR });
  }
  return { status: reply.status, headers, request, bodyAsText: text };
}

/** The body as sent on the wire, decoded as the SDK's client does: gzip and deflate; anything else as is. */
function decoded(bytes: Buffer, contentEncoding: string | undefined): Buffer {
  if (bytes.length === 0) return bytes;
  if (contentEncoding === 'gzip') return gunzipSync(bytes);
  if (contentEncoding === 'deflate') return inflateSync(bytes);
  return bytes;
}
