import type { RpcHttpCookie, RpcHttpData, RpcInvocationResponse, RpcTypedData } from './core-types';

/** What goes on the wire: header pairs keep repeats (several `Set-Cookie`). */
export interface HttpReply {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/**
 * Finds the HTTP result of an invocation: the `$return` binding, else the first `http` output binding.
 * Undefined when the function set none (the host then answers 204).
 */
export function pickHttpResult(response: RpcInvocationResponse): RpcHttpData | undefined {
  if (response.returnValue?.http) return response.returnValue.http;
  return response.outputData?.find((o) => o.data?.http)?.data?.http ?? undefined;
}

/** Converts the RPC http response (library: converters/toRpcHttp.ts) into status, headers and body bytes. */
export function fromRpcHttp(http: RpcHttpData | undefined): HttpReply {
  if (!http) return { status: 204, headers: [], body: Buffer.alloc(0) };
  const status = Number.parseInt(http.statusCode ?? '', 10);
  const headers: [string, string][] = Object.entries(http.headers ?? {}).map(([k, v]) => [k, String(v)]);
  const body = typedDataToBuffer(http.body);
  if (body.length > 0 && !headers.some(([k]) => k.toLowerCase() === 'content-type')) {
    headers.push(['content-type', defaultContentType(http.body)]);
  }
  for (const cookie of http.cookies ?? []) headers.push(['set-cookie', serializeCookie(cookie)]);
  return { status: Number.isFinite(status) ? status : 200, headers, body };
}

/** The bytes of any typed-data body the library can produce (it sends bytes today; older versions sent string/json). */
export function typedDataToBuffer(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes != null) return Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
  if (data.stream != null) return Buffer.from(data.stream.buffer, data.stream.byteOffset, data.stream.byteLength);
  if (data.string != null) return Buffer.from(data.string, 'utf8');
  if (data.json != null) return Buffer.from(data.json, 'utf8');
  if (data.int != null) return Buffer.from(String(data.int), 'utf8');
  if (data.double != null) return Buffer.from(String(data.double), 'utf8');
  return Buffer.alloc(0);
}

function defaultContentType(data: RpcTypedData | null | undefined): string {
  if (data?.json != null) return 'application/json; charset=utf-8';
  if (data?.string != null || data?.int != null || data?.double != null) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** `Set-Cookie` value (RFC 6265) from the library's RPC cookie (converters/toRpcHttpCookie.ts). */
export function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds != null) parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value != null) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  // 'none' means "not set" in the RPC enum; 'explicitNone' is SameSite=None.
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[cookie.sameSite ?? 'none'];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
