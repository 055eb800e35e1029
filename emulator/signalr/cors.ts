/**
 * CORS for the client endpoint (docs/protocol/signalr.md §2.5): every origin is allowed, with credentials,
 * since `@microsoft/signalr` sends negotiate, Server-Sent Events and Long Polling requests with credentials.
 * Pure: the server sets the headers.
 */

const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
/** Browsers may cache a preflight answer this long. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** Headers for a response to a request from `origin` (none without an Origin header: not a browser's cross-origin call). */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined || origin === '') return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
}

/** The answer to a preflight `OPTIONS`; the requested headers are echoed (Authorization, X-Requested-With, X-SignalR-User-Agent…). */
export function preflightHeaders(origin: string | undefined, requestedHeaders: string | undefined): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
    'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
  };
}
