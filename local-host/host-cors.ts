/** local.settings.json `Host.CORS` / `Host.CorsCredentials`, as Core Tools reads them. */
export interface CorsPolicy {
  /** Allowed origins; `*` allows any. Empty: CORS is off and the host adds no headers. */
  readonly origins: readonly string[];
  readonly credentials: boolean;
}

export interface CorsRequest {
  readonly method: string;
  readonly origin?: string;
  readonly requestMethod?: string;
  readonly requestHeaders?: string;
}

export type CorsDecision =
  /** A preflight the host answers itself (204), with these headers (none when the origin is not allowed). */
  | { readonly kind: 'preflight'; readonly headers: Record<string, string> }
  /** A normal request: add these headers to the function's response. */
  | { readonly kind: 'actual'; readonly headers: Record<string, string> };

export function parseCorsPolicy(origins: string | undefined, credentials: boolean | string | undefined): CorsPolicy {
  return {
    origins: (origins ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    credentials: credentials === true || String(credentials).toLowerCase() === 'true',
  };
}

/** With no `Host.CORS` the host adds no headers and answers no preflight, for every request alike (shared, never changed). */
const NO_CORS: CorsDecision = Object.freeze({ kind: 'actual', headers: Object.freeze({}) });

/**
 * Mirrors ASP.NET Core's CORS middleware that Core Tools installs when `Host.CORS` is set:
 * any method and header are allowed; `*` answers `*` unless credentials are on, then the origin is echoed.
 * A preflight (OPTIONS with Origin and Access-Control-Request-Method) never reaches a function, so the
 * Web PubSub abuse-protection OPTIONS (no Origin header) still does.
 */
export function decideCors(policy: CorsPolicy, req: CorsRequest): CorsDecision {
  if (policy.origins.length === 0) return NO_CORS;
  const isPreflight = req.method.toUpperCase() === 'OPTIONS' && !!req.origin && !!req.requestMethod;
  const headers: Record<string, string> = {};
  const origin = req.origin;
  const anyOrigin = policy.origins.includes('*');
  const allowed = !!origin && (anyOrigin || policy.origins.some((o) => o.toLowerCase() === origin.toLowerCase()));
  if (allowed) {
    if (anyOrigin && !policy.credentials) {
      headers['access-control-allow-origin'] = '*';
    } else {
      headers['access-control-allow-origin'] = origin;
      headers['vary'] = 'Origin';
    }
    if (policy.credentials) headers['access-control-allow-credentials'] = 'true';
    if (isPreflight) {
      headers['access-control-allow-methods'] = req.requestMethod!.toUpperCase();
      if (req.requestHeaders) headers['access-control-allow-headers'] = req.requestHeaders;
    }
  }
  return { kind: isPreflight ? 'preflight' : 'actual', headers };
}
