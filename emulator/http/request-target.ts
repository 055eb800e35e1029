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
