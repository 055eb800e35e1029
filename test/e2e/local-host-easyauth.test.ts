/**
 * App Service Authentication in the local host (`--easyauth`) with the real app in NegotiateAuth=easyauth:
 * sign in through the form, the session cookie, /.auth/me, sign-out, and negotiate's refusals.
 */
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../support/process-group';

const root = join(__dirname, '..', '..');
const connectionString = 'Endpoint=http://localhost;Port=1;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;';
const tenantId = '3f0c9a52-7d4e-4c8e-9a51-0b6f6c1d2e3f';

function tokenSub(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
}

async function signIn(base: string, name: string, redirect?: string): Promise<Response> {
  const form = new URLSearchParams({ name, ...(redirect !== undefined ? { post_login_redirect_uri: redirect } : {}) });
  return fetch(`${base}/.auth/login/aad/callback`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: base } });
}

function cookieOf(res: Response): string {
  const setCookie = res.headers.getSetCookie()[0] ?? '';
  return setCookie.split(';')[0]!;
}

describe('local host --easyauth with the real app (NegotiateAuth=easyauth)', () => {
  let host: GroupProcess;
  let base: string;

  beforeAll(async () => {
    host = spawnGroup(process.execPath, [join(root, 'dist', 'local-host', 'main.js'), '--app', root, '--easyauth', '--easyauth-tenant-id', tenantId], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', WebPubSubConnectionString: connectionString, NegotiateAuth: 'easyauth', WEBSITE_SITE_NAME: 'func-local' },
    });
    const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    await host.stop('SIGTERM');
  });

  it('gives the app WEBSITE_AUTH_ENABLED=True, so easyauth starts even with WEBSITE_SITE_NAME set (as in Azure)', () => {
    expect(host.stdout()).toMatch(/negotiate: \[GET,POST,OPTIONS\]/);
    expect(host.stdout()).toContain(`App Service Authentication (local sign-in form): ${base}/.auth/login/aad`);
  });

  it('negotiate without a session: 401', async () => {
    const res = await fetch(`${base}/api/negotiate?userId=alice`);
    expect(res.status).toBe(401);
  });

  it('negotiate with forged principal headers and no session: 401 (the headers are stripped)', async () => {
    const forged = Buffer.from(
      JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: 'mallory' }] }),
    ).toString('base64');
    const res = await fetch(`${base}/api/negotiate`, {
      headers: {
        'x-ms-client-principal': forged,
        'x-ms-client-principal-id': 'mallory',
        'x-ms-client-principal-name': 'mallory',
        'x-ms-client-principal-idp': 'aad',
      },
    });
    expect(res.status).toBe(401);
  });

  it('shows a sign-in form that posts a name to the callback, keeping the redirect', async () => {
    const res = await fetch(`${base}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/api/chat/?a=<b>')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('action="/.auth/login/aad/callback"');
    expect(html).toContain('name="name"');
    expect(html).toContain('value="/api/chat/?a=%3Cb%3E"');
  });

  it('signs in: an HttpOnly, SameSite=Lax session cookie (not Secure over http) and a redirect to / or the given path', async () => {
    const res = await signIn(base, 'alice@contoso.com');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^AppServiceAuthSession=[\w-]+\.[\w-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    expect((await signIn(base, 'alice@contoso.com', '/api/chat/')).headers.get('location')).toBe('/api/chat/');
  });

  it('negotiate with a session: a token whose user id is the signed-in identity (its object id), whatever ?userId says', async () => {
    const cookie = cookieOf(await signIn(base, 'alice@contoso.com'));
    const me = (await (await fetch(`${base}/.auth/me`, { headers: { cookie } })).json()) as {
      provider_name: string;
      user_id: string;
      user_claims: { typ: string; val: string }[];
    }[];
    expect(me).toHaveLength(1);
    expect(me[0]).toMatchObject({ provider_name: 'aad', user_id: 'alice@contoso.com' });
    const oid = me[0]!.user_claims.find((c) => c.typ === 'http://schemas.microsoft.com/identity/claims/objectidentifier')!.val;
    expect(me[0]!.user_claims).toContainEqual({ typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenantId });

    const res = await fetch(`${base}/api/negotiate?userId=mallory`, { headers: { cookie, 'x-ms-client-principal-id': 'mallory' } });
    expect(res.status).toBe(200);
    expect(tokenSub(((await res.json()) as { token: string }).token)).toBe(oid);
  });

  it('signs in a name outside Latin-1 (the principal headers stay valid header bytes)', async () => {
    const cookie = cookieOf(await signIn(base, 'zoë 日本'));
    expect((await fetch(`${base}/api/negotiate`, { headers: { cookie } })).status).toBe(200);
    const me = (await (await fetch(`${base}/.auth/me`, { headers: { cookie } })).json()) as { user_id: string }[];
    expect(me[0]!.user_id).toBe('zoë 日本');
  });

  it('refuses a tampered cookie like no cookie', async () => {
    const cookie = cookieOf(await signIn(base, 'alice@contoso.com'));
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, mac] = value.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${name}=${Buffer.from(JSON.stringify({ ...claims, oid: 'mallory' })).toString('base64url')}.${mac}`;
    expect((await fetch(`${base}/api/negotiate`, { headers: { cookie: forged } })).status).toBe(401);
    expect((await fetch(`${base}/.auth/me`, { headers: { cookie: forged } })).status).toBe(401);
  });

  it('signs out: the cookie is cleared, the old cookie no longer works, and the redirect is honoured only on this site', async () => {
    const cookie = cookieOf(await signIn(base, 'bob'));
    const out = await fetch(`${base}/.auth/logout?post_logout_redirect_uri=/api/chat/`, { headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('/api/chat/');
    expect(out.headers.getSetCookie()[0]).toMatch(/^AppServiceAuthSession=; Path=\/; Max-Age=0/);
    expect((await fetch(`${base}/api/negotiate`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${base}/.auth/me`, { headers: { cookie } })).status).toBe(401);
    const plain = await fetch(`${base}/.auth/logout`, { redirect: 'manual' });
    expect(plain.headers.get('location')).toBe('/.auth/logout/complete');
    expect(await (await fetch(`${base}/.auth/logout/complete`)).text()).toContain('signed out');
  });

  it('refuses redirects to other sites (no open redirect) and cross-site sign-in posts', async () => {
    for (const target of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      expect((await signIn(base, 'alice', target)).status).toBe(400);
      expect((await fetch(`${base}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(target)}`)).status).toBe(400);
      expect((await fetch(`${base}/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`, { redirect: 'manual' })).status).toBe(400);
    }
    const crossSite = await fetch(`${base}/.auth/login/aad/callback`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'alice' }),
      headers: { origin: 'http://evil.example' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.getSetCookie()).toEqual([]);
  });

  it('asks again for an empty or over-long name', async () => {
    expect((await signIn(base, '   ')).status).toBe(400);
    expect((await signIn(base, 'x'.repeat(65))).status).toBe(400);
  });
});

describe('local host without --easyauth', () => {
  it('has no /.auth endpoints and still strips forged principal headers (dev mode too)', async () => {
    const host = spawnGroup(process.execPath, [join(root, 'dist', 'local-host', 'main.js'), '--app', root], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', WebPubSubConnectionString: connectionString, NegotiateAuth: 'easyauth' },
    });
    try {
      const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
      const base = `http://localhost:${port}`;
      expect((await fetch(`${base}/.auth/me`)).status).toBe(404);
      expect((await fetch(`${base}/api/negotiate`, { headers: { 'x-ms-client-principal-id': 'mallory' } })).status).toBe(401);
    } finally {
      await host.stop('SIGTERM');
    }
  });
});
