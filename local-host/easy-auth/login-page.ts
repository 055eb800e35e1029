/** The local stand-in for the Microsoft sign-in page, and the signed-out page. Pure HTML builders. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Served with these headers: no script, no framing, the form posts only to this site. */
export const pageSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function loginPage(options: { redirect: string; error?: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in (local App Service Authentication)</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box}input,button{padding:.5rem;margin:.4rem 0 1rem;font:inherit}.note{color:#555;font-size:.85rem}.error{color:#a00}</style>
</head>
<body>
<h1>Sign in</h1>
<p class="note">Local stand-in for Microsoft Entra sign-in (App Service Authentication, <code>/.auth/login/aad</code>). Any name signs in; no password is checked.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>\n` : ''}<form method="post" action="/.auth/login/aad/callback">
<label for="name">Name</label>
<input id="name" name="name" required maxlength="64" autocomplete="username" autofocus placeholder="e.g. alice@contoso.com">
<input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(options.redirect)}">
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

export function signedOutPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body><h1>You have signed out.</h1><p><a href="/">Back to the site</a></p></body></html>
`;
}
