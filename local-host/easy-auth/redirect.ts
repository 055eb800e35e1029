/**
 * `post_login_redirect_uri` / `post_logout_redirect_uri`: only a path on this site, so the sign-in
 * page cannot be used to send someone elsewhere (an open redirect). App Service also accepts absolute
 * URLs listed in `allowedExternalRedirectUrls`; the local host lists none.
 *
 * Returns the path (with query and fragment) to redirect to, `fallback` when none was given, or
 * undefined when the value is refused.
 */
export function safeRedirectPath(value: string | null | undefined, fallback: string): string | undefined {
  if (value === null || value === undefined || value === '') return fallback;
  // `//host` and `/\host` are protocol-relative to browsers; control characters and backslashes are
  // normalised differently by browsers and URL parsers, so none is accepted.
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  const base = 'http://local-host.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
