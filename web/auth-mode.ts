/**
 * How the page signs people in, learned from the app rather than configured: the page asks
 * negotiate once without a user id.
 * - NegotiateAuth=dev answers 400 `MissingUserId`: the person types a name (the page as it always was);
 * - App Service Authentication (NegotiateAuth=easyauth) answers 401 `NotAuthenticated` until the
 *   person signs in at `/.auth/login/aad`, and a token for the signed-in user afterwards (`token` from
 *   `/api/negotiate`, `accessToken` from `/api/signalr/negotiate`).
 * Anything else (jwt mode, an app that is down) leaves the dev form, which explains failures itself.
 * Pure: chat.ts does the fetches and the DOM.
 */
export type AuthMode = { readonly kind: 'dev' } | { readonly kind: 'signed-out' } | { readonly kind: 'signed-in'; readonly userId: string };

export function authModeFromNegotiate(status: number, body: unknown): AuthMode {
  const b = (body ?? {}) as { code?: unknown; token?: unknown; accessToken?: unknown };
  if (status === 401 && b.code === 'NotAuthenticated') return { kind: 'signed-out' };
  const token = typeof b.token === 'string' ? b.token : b.accessToken;
  if (status === 200 && typeof token === 'string') {
    const userId = tokenSubject(token) ?? tokenClaim(token, NAME_ID_CLAIM);
    if (userId) return { kind: 'signed-in', userId };
  }
  return { kind: 'dev' };
}

/** Where a SignalR Service client token carries the user id (docs/protocol/signalr.md §1.2). */
const NAME_ID_CLAIM = 'nameid';

/** The `sub` of a client access token (the user id the service knows). Read, not verified: display only. */
export function tokenSubject(token: string): string | undefined {
  return tokenClaim(token, 'sub');
}

function tokenClaim(token: string, claim: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const binary = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const value = (JSON.parse(json) as Record<string, unknown>)[claim];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** App Service Authentication's sign-in, coming back to this page. */
export function loginUrl(pagePath: string): string {
  return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(pagePath)}`;
}

/** App Service Authentication's sign-out, coming back to this page. */
export function logoutUrl(pagePath: string): string {
  return `/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(pagePath)}`;
}

/** The signed-in person's name from `/.auth/me` (App Service: `[{ user_id, ... }]`), if the platform serves it. */
export function displayNameFromMe(body: unknown): string | undefined {
  if (!Array.isArray(body)) return undefined;
  const entry = body[0] as { user_id?: unknown } | undefined;
  return typeof entry?.user_id === 'string' && entry.user_id !== '' ? entry.user_id : undefined;
}
