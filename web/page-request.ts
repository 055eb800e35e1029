/** The files the `web` function serves; nothing else can be requested (no paths, so no traversal). */
export const pageFileTypes: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

/** What the `web` function answers for `chat/{*path}`. Pure. */
export type PageAnswer =
  | { readonly kind: 'file'; readonly name: string }
  /** `/api/chat` → `/api/chat/`, so the page's relative `chat.js` / `chat.css` resolve under it. */
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' };

/**
 * @param path the `{*path}` route parameter (undefined for `/api/chat` and `/api/chat/`)
 * @param urlPath the request URL's path, to tell `/api/chat` from `/api/chat/`
 * @param available the page files that exist
 */
export function resolvePageRequest(path: string | undefined, urlPath: string, available: ReadonlySet<string>): PageAnswer {
  if (path === undefined || path === '') {
    return urlPath.endsWith('/') ? { kind: 'file', name: 'index.html' } : { kind: 'redirect', location: `${urlPath}/` };
  }
  // Only exact file names: `a/../x`, encoded slashes or anything unlisted is simply not a page file.
  return available.has(path) ? { kind: 'file', name: path } : { kind: 'not-found' };
}

/**
 * CSP for the page: own scripts and styles only; WebSockets to any service host, since the client
 * connects to the service's endpoint (another origin: the emulator's port, *.webpubsub.azure.com or
 * *.service.signalr.net). SignalR also negotiates, and may fall back to Server-Sent Events or Long
 * Polling, over HTTPS to the service (plain HTTP only to the local emulator).
 */
export const pageContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss: https: http://localhost:* http://127.0.0.1:*; base-uri 'none'; frame-ancestors 'none'";
