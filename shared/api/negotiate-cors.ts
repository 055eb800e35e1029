/**
 * CORS for negotiate, from `CorsAllowedOrigins` (exact origins or `*`). With `*` no credentials are
 * allowed (browsers forbid `*` with credentials); with a list, the request's origin is echoed and
 * credentials are allowed, so Easy Auth cookies work from a listed origin. `Vary: Origin` whenever
 * the answer depends on the origin.
 */
export function corsHeaders(origin: string | null, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {};
  if (allowed[0] === '*') return { 'Access-Control-Allow-Origin': '*' };
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin && allowed.includes(origin.toLowerCase())) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
  }
  return headers;
}

/** Reply to a preflight `OPTIONS`: 204, plus the allow headers when the origin is allowed. */
export function preflightHeaders(origin: string | null, allowed: readonly string[], methods: readonly string[]): Record<string, string> {
  const headers = corsHeaders(origin, allowed);
  if (!headers['Access-Control-Allow-Origin']) return headers;
  return {
    ...headers,
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
  };
}
