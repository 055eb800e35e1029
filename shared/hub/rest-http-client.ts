import { createDefaultHttpClient, createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';

/**
 * The HTTP transport under `@azure/web-pubsub`'s pipeline (`httpClient` in the client options): the
 * pipeline and every policy stay (serialization, retries, auth, error mapping); only the last step, the
 * socket exchange, is this one. The SDK's own Node client (`@typespec/ts-http-runtime` NodeHttpClient)
 * builds an AbortController, adds and later removes an abort listener, and pipes the response through
 * streams for every call, whatever the call; the REST calls this app makes are small JSON bodies with small
 * replies, so this client writes the body and collects the reply directly: on a keep-alive socket that is
 * about half the CPU per call (bench/micro/rest-send.mjs, docs/benchmarks.md).
 *
 * It takes what the SDK's client takes, with the same results and errors: string or byte bodies,
 * `abortSignal`, `timeout`, `allowInsecureConnection`, gzip/deflate replies, HEAD. Anything else (a stream
 * or function body, progress callbacks, streamed replies, a proxy or custom agent, TLS settings, keep-alive
 * turned off, request overrides) goes to the SDK's own client unchanged.
 */
export function createRestHttpClient(fallback: HttpClient = createDefaultHttpClient()): HttpClient {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return {
    sendRequest(request) {
      return isPlain(request) ? send(request, agents) : fallback.sendRequest(request);
    },
  };
}

/** Thrown when the call's abort signal fires or its timeout passes; the SDK's retry policy and callers test `name`. */
export class AbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortError';
  }
}

type Body = string | Uint8Array | undefined;

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

function send(request: PipelineRequest, agents: Record<'http:' | 'https:', http.Agent>): Promise<PipelineResponse> {
  const signal = request.abortSignal;
  if (signal?.aborted) return Promise.reject(new AbortError('The operation was aborted. Request has already been canceled.'));
  const url = new URL(request.url);
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return Promise.reject(new RestError(`Unsupported protocol in ${url.origin}`, { request }));
  if (protocol === 'http:' && !request.allowInsecureConnection) {
    return Promise.reject(new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`));
  }
  const body = (request.body ?? undefined) as Body;
  const headers = request.headers.toJSON({ preserveCase: true }) as Record<string, string | number>;
  if (body !== undefined && !request.headers.has('Content-Length'))
    headers['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const encoding = request.headers.get('Accept-Encoding');
  const decompress = encoding !== undefined && (encoding.includes('gzip') || encoding.includes('deflate'));

  return new Promise<PipelineResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: unknown, response?: PipelineResponse) => {
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
      req.destroy(error);
    };
    const onAbort = () => abortWith('The operation was aborted. Rejecting from abort signal callback while making request.');
    const lib = protocol === 'https:' ? https : http;
    const req = lib.request(
      { agent: agents[protocol], protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers },
      (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = createHttpHeaders();
        for (const name in res.headers) {
          const value = res.headers[name];
          // As the SDK's client: the first of a repeated header.
          const first = Array.isArray(value) ? value[0] : value;
          if (first) responseHeaders.set(name, first);
        }
        if (request.method === 'HEAD') {
          res.resume();
          finish(undefined, { status, headers: responseHeaders, request });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (e) =>
          finish(e.name === 'AbortError' ? e : new RestError(`Error reading response as text: ${e.message}`, { code: RestError.PARSE_ERROR })),
        );
        res.on('end', () => {
          try {
            const bytes = decompress ? decoded(Buffer.concat(chunks), res.headers['content-encoding']) : Buffer.concat(chunks);
            finish(undefined, { status, headers: responseHeaders, request, bodyAsText: bytes.toString('utf8') });
          } catch (e) {
            finish(new RestError(`Error reading response as text: ${(e as Error).message}`, { code: RestError.PARSE_ERROR }));
          }
        });
      },
    );
    req.once('error', (err: NodeJS.ErrnoException) => finish(new RestError(err.message, { code: err.code ?? RestError.REQUEST_SEND_ERROR, request })));
    signal?.addEventListener('abort', onAbort, { once: true });
    // The whole exchange, as the SDK's client times it (not the socket's idle time).
    if (request.timeout > 0) timer = setTimeout(() => abortWith(`The request to ${url.origin} timed out after ${request.timeout} ms.`), request.timeout);
    req.end(body);
  });
}

/** The body as sent on the wire, decoded as the SDK's client does: gzip and deflate; anything else as is. */
function decoded(bytes: Buffer, contentEncoding: string | undefined): Buffer {
  if (bytes.length === 0) return bytes;
  if (contentEncoding === 'gzip') return gunzipSync(bytes);
  if (contentEncoding === 'deflate') return inflateSync(bytes);
  return bytes;
}
