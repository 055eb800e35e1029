/**
 * The URL of an incoming request, from its request target and `Host` header, or why it is a bad request.
 * A client controls both; `new URL` throws on a malformed Host (`[`, `a b`, `x:99999`), which used to
 * surface as a 500 with a stack trace in the log. Pure.
 */

export type RequestUrlResult = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly message: string };

/** RFC 9110 §7.2: host [ ":" port ]; a name, an IPv4 address or a bracketed IPv6 address. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::(\d{1,5}))?$/;

export function isValidHostHeader(host: string): boolean {
  const m = HOST.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

export function requestUrl(target: string | undefined, host: string | undefined): RequestUrlResult {
  // An empty Host is allowed (RFC 9112 §3.2); a missing one is refused by node:http for HTTP/1.1.
  if (host !== undefined && host !== '' && !isValidHostHeader(host)) {
    return { ok: false, message: 'The Host header is not a valid host name (host or host:port).' };
  }
  const path = target ?? '/';
  // Only origin-form (`/path?query`) is served: absolute-form is for proxies, `*` for OPTIONS to a proxy.
  if (!path.startsWith('/')) return { ok: false, message: 'The request target must be a path starting with "/".' };
  try {
    // Concatenated rather than resolved against a base, so `//x/y` stays a path instead of naming host x.
    return { ok: true, url: new URL(`http://${host || 'localhost'}${path}`) };
  } catch {
    return { ok: false, message: 'The request URL is malformed.' };
  }
}

/** What the host needs of a request URL, as `new URL` parsed it; shared between requests, never changed. */
export interface RequestTarget {
  readonly href: string;
  readonly pathname: string;
  /** The query's decoded pairs in order (`URLSearchParams`' iteration), repeats kept. */
  readonly query: readonly (readonly [string, string])[];
}

export type RequestTargetResult = { readonly ok: true; readonly target: RequestTarget } | { readonly ok: false; readonly message: string };

export type RequestTargetCache = (target: string | undefined, host: string | undefined) => RequestTargetResult;

/** A client can send any URL: the cache is emptied when it reaches this size, and long URLs are not kept. */
export const requestTargetCacheSize = 1024;
export const requestTargetCacheMaxLength = 512;

/**
 * requestUrl for every request, remembering recent answers: clients call the same few URLs over and
 * over (the event handler's never changes), and a WHATWG URL parse is the most expensive step of
 * reading a request target. An answer is exactly what `new URL` gave the first time, since the result
 * depends on nothing but the two strings. Only good targets are kept.
 */
export function createRequestTargetCache(): RequestTargetCache {
  const cache = new Map<string, RequestTargetResult>();
  return (target, host) => {
    // node:http refuses a line feed in a request target or a header value, so the key is unambiguous.
    const key = `${host ?? ''}\n${target ?? '/'}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const parsed = requestUrl(target, host);
    if (!parsed.ok) return parsed;
    const { href, pathname, searchParams } = parsed.url;
    const result: RequestTargetResult = { ok: true, target: { href, pathname, query: Object.freeze([...searchParams]) } };
    if (key.length <= requestTargetCacheMaxLength) {
      if (cache.size >= requestTargetCacheSize) cache.clear();
      cache.set(key, result);
    }
    return result;
  };
}
