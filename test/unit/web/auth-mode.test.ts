import { authModeFromNegotiate, displayNameFromMe, loginUrl, logoutUrl, tokenSubject } from '../../../web/auth-mode';

const token = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('authModeFromNegotiate', () => {
  it('dev mode: negotiate wants a userId (400)', () => {
    expect(authModeFromNegotiate(400, { code: 'MissingUserId' })).toEqual({ kind: 'dev' });
  });
  it('easyauth, not signed in: 401 NotAuthenticated', () => {
    expect(authModeFromNegotiate(401, { code: 'NotAuthenticated', message: 'sign in first' })).toEqual({ kind: 'signed-out' });
  });
  it('easyauth, signed in: a token; the user id is its subject', () => {
    expect(authModeFromNegotiate(200, { url: 'ws://x', token: token({ sub: 'oid-1', aud: 'x' }) })).toEqual({ kind: 'signed-in', userId: 'oid-1' });
  });
  it('easyauth over SignalR, signed in: the redirect accessToken; the user id is its nameid', () => {
    expect(authModeFromNegotiate(200, { url: 'http://x/client/?hub=chat', accessToken: token({ nameid: 'oid-2', aud: 'x' }) })).toEqual({
      kind: 'signed-in',
      userId: 'oid-2',
    });
  });
  it.each([
    [401, { code: 'InvalidToken' }],
    [500, { code: 'AppMisconfigured' }],
    [503, 'down'],
    [200, { token: 'not-a-jwt' }],
  ])('anything else (%s) keeps the dev form, which reports failures itself', (status, body) => {
    expect(authModeFromNegotiate(status, body)).toEqual({ kind: 'dev' });
  });
});

describe('helpers', () => {
  it('reads a token subject, including non-ASCII', () => {
    expect(tokenSubject(token({ sub: 'zoë' }))).toBe('zoë');
    expect(tokenSubject('x')).toBeUndefined();
    expect(tokenSubject('a.!!!.c')).toBeUndefined();
  });
  it('builds sign-in and sign-out URLs that come back to the page', () => {
    expect(loginUrl('/api/chat/')).toBe('/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fchat%2F');
    expect(logoutUrl('/')).toBe('/.auth/logout?post_logout_redirect_uri=%2F');
  });
  it('reads the display name from /.auth/me', () => {
    expect(displayNameFromMe([{ provider_name: 'aad', user_id: 'alice@contoso.com', user_claims: [] }])).toBe('alice@contoso.com');
    expect(displayNameFromMe({})).toBeUndefined();
    expect(displayNameFromMe([])).toBeUndefined();
  });
});
