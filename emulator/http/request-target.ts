/**
 * Checks the parts of a request line and headers a client controls before anything parses them (REST and
 * WebSocket upgrades alike). A malformed `Host` used to flow into token audiences and the URLs
 * `:generateToken` returns, and an absolute-form target like `http://[` made `new URL` throw outside any
 * handler, crashing the process. Pure.
 */

/** RFC 9110 §7.2: host [ ":" port ]; a name, an IPv4 address or a bracketed IPv6 address. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::(\d{1,5}))?$/;

export function isValidHostHeader(host: string): boolean {
  const m = HOST.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

/** Why the request is a bad request (answer 400 with this message), or undefined when it is fine. */
export function requestTargetProblem(target: string | undefined, host: string | undefined): string | undefined {
  // An empty Host is allowed (RFC 9112 §3.2); a missing one is refused by node:http for HTTP/1.1.
  if (host !== undefined && host !== '' && !isValidHostHeader(host)) return 'The Host header is not a valid host name (host or host:port).';
  // Only origin-form (`/path?query`) is served: absolute-form is for proxies.
  if (target !== undefined && !target.startsWith('/')) return 'The request target must be a path starting with "/".';
  return undefined;
}

/** A request target's path and query, as `new URL(target, base)` would give them. */
export interface ParsedTarget {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

/**
 * Targets whose path and query read the same raw as through `new URL`: a path of plain characters (no
 * `%`, `\` or dot segment, which URL would decode or normalise, and no leading `//`, which URL reads as
 * a host) and a query of printable ASCII without
 * `#` (URL would percent-encode the rest, and URLSearchParams decode it back to the same text).
 */
const PLAIN_TARGET = /^\/(?!\/)[A-Za-z0-9_~!$&'()*+,;=:@./[\]-]*(?:\?[\x21\x22\x24-\x7e]*)?$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;

/**
 * Splits an origin-form target (`/path?query`) into its path and query. Every upgrade parses its
 * target, and `new URL` was a visible share of a connect storm; it still parses any target outside the
 * plain form above, so the result is the same either way. Undefined when the target is not a URL.
 */
export function parseRequestTarget(target: string): ParsedTarget | undefined {
  if (PLAIN_TARGET.test(target) && !DOT_SEGMENT.test(target)) {
    const q = target.indexOf('?');
    return q < 0
      ? { pathname: target, searchParams: new URLSearchParams() }
      : // With its `?`: URLSearchParams drops one leading `?`, and the query itself may start with another.
        { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q)) };
  }
  try {
    const url = new URL(target, 'http://emulator.invalid');
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return undefined;
  }
}
