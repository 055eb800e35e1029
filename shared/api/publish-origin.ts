/**
 * Whether a request to a server-to-server route (publish) may come from a browser page. Browsers send
 * `Origin` on every cross-origin POST, including "simple" ones (text/plain) that skip the preflight and
 * so execute even though the page cannot read the answer. Such a request is refused unless it comes
 * from the app's own origin or from an origin listed by name in `CorsAllowedOrigins`; `*` does not
 * count here, since publish has no key on a local host. Requests without `Origin` (curl, servers) pass.
 */
export function isPublishOriginAllowed(origin: string | null, requestUrl: string, allowed: readonly string[]): boolean {
  if (origin === null) return true;
  const lower = origin.toLowerCase();
  let own: string | undefined;
  try {
    own = new URL(requestUrl).origin.toLowerCase();
  } catch {
    own = undefined;
  }
  return lower === own || (allowed[0] !== '*' && allowed.includes(lower));
}
