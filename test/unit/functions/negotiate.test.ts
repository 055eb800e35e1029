import { decodeJwt, SignJWT } from 'jose';
import { createNegotiateHandler } from '../../../functions/negotiate';
import { bodyText, header, invocation, jwksServer, request, runtimeFor, unsecuredToken } from '../../support/functions-harness';

const URL_BASE = 'http://localhost:7071/api/negotiate';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

async function call(env: Record<string, string>, init: { method?: string; query?: string; headers?: Record<string, string> }) {
  const handler = createNegotiateHandler(runtimeFor(env));
  const { context, logs } = invocation();
  const response = await handler(request({ method: init.method ?? 'GET', url: `${URL_BASE}${init.query ?? ''}`, headers: init.headers ?? {} }), context);
  return { response: response as Exclude<typeof response, void>, logs };
}

describe('negotiate, dev mode', () => {
  it('GET ?userId= → 200 {url, baseUrl, token, expiresOn}, and by default no group roles (least privilege)', async () => {
    const { response } = await call({}, { query: '?userId=alice' });
    expect(response.status).toBe(200);
    expect(header(response, 'content-type')).toBe('application/json; charset=utf-8');
    expect(header(response, 'cache-control')).toBe('no-store');
    const body = JSON.parse(bodyText(response)) as { url: string; baseUrl: string; token: string; expiresOn: string };
    expect(Object.keys(body).sort()).toEqual(['baseUrl', 'expiresOn', 'token', 'url']);
    expect(body.baseUrl).toBe('ws://localhost:8080/client/hubs/chat');
    expect(body.url).toBe(`ws://localhost:8080/client/hubs/chat?access_token=${body.token}`);
    const claims = decodeJwt(body.token);
    expect(claims).toMatchObject({ sub: 'alice', aud: 'http://localhost:8080/client/hubs/chat' });
    expect(claims.role).toBeUndefined();
    expect(new Date(body.expiresOn).getTime()).toBe(claims.exp! * 1000);
  });
  it('grants the roles WebPubSubRoles lists, for a hub without a definition that forbids them', async () => {
    const { response } = await call({ WebPubSubHub: 'other', WebPubSubRoles: 'webpubsub.sendToGroup.news' }, { query: '?userId=alice' });
    expect(decodeJwt((JSON.parse(bodyText(response)) as { token: string }).token).role).toEqual(['webpubsub.sendToGroup.news']);
  });
  it('POST works too', async () => {
    expect((await call({}, { method: 'POST', query: '?userId=bob' })).response.status).toBe(200);
  });
  it('clients cannot choose roles or groups', async () => {
    const { response } = await call({ WebPubSubGroups: 'lobby' }, { query: '?userId=a&role=webpubsub.sendToGroup.x&roles=x&group=admin' });
    const claims = decodeJwt((JSON.parse(bodyText(response)) as { token: string }).token);
    expect(claims.role).toBeUndefined();
    expect(claims['webpubsub.group']).toEqual(['lobby']);
  });
  it('?hub= picks a configured hub (case-insensitive) with its own roles; an unknown hub → 400', async () => {
    const env = { WebPubSubHub: 'chat,Games', WebPubSubRoles__games: 'none' };
    const ok = await call(env, { query: '?userId=a&hub=GAMES' });
    const body = JSON.parse(bodyText(ok.response)) as { token: string; baseUrl: string };
    expect(body.baseUrl).toBe('ws://localhost:8080/client/hubs/Games');
    expect(decodeJwt(body.token).role).toBeUndefined();
    const bad = await call(env, { query: '?userId=a&hub=nope' });
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(bodyText(bad.response))).toMatchObject({ code: 'UnknownHub' });
  });
  it.each(['', '?userId=', `?userId=${'x'.repeat(129)}`, '?userId=a%0Db'])('400 for %p', async (query) => {
    const { response } = await call({}, { query });
    expect(response.status).toBe(400);
    expect(JSON.parse(bodyText(response))).toHaveProperty('message');
  });
});

describe('negotiate, easyauth mode', () => {
  it('takes the user from x-ms-client-principal-id, ignoring the query', async () => {
    const { response } = await call({ NegotiateAuth: 'easyauth' }, { query: '?userId=mallory', headers: { 'x-ms-client-principal-id': 'aad-123' } });
    expect(decodeJwt((JSON.parse(bodyText(response)) as { token: string }).token).sub).toBe('aad-123');
  });
  it('reads the SWA principal', async () => {
    const { response } = await call(
      { NegotiateAuth: 'easyauth' },
      { headers: { 'x-ms-client-principal': b64({ identityProvider: 'github', userId: 'gh-1', userDetails: 'x', userRoles: [] }) } },
    );
    expect(decodeJwt((JSON.parse(bodyText(response)) as { token: string }).token).sub).toBe('gh-1');
  });
  it('401 without a principal, even with ?userId=', async () => {
    const { response } = await call({ NegotiateAuth: 'easyauth' }, { query: '?userId=mallory' });
    expect(response.status).toBe(401);
  });
});

describe('negotiate, jwt mode (JWKS over loopback)', () => {
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    idp = await jwksServer();
    env = {
      NegotiateAuth: 'jwt',
      NegotiateJwtJwksUrl: idp.url,
      NegotiateJwtIssuer: 'https://idp.example.com/',
      NegotiateJwtAudience: 'api://chat',
      NegotiateJwtUserClaim: 'preferred_username',
    };
  });
  afterAll(() => idp.close());
  const good = { iss: 'https://idp.example.com/', aud: 'api://chat', sub: 's-1', preferred_username: 'alice@example.com' };

  it('a valid bearer token → token for the configured claim', async () => {
    const { response } = await call(env, { query: '?userId=mallory', headers: { authorization: `Bearer ${await idp.sign(good)}` } });
    expect(response.status).toBe(200);
    expect(decodeJwt((JSON.parse(bodyText(response)) as { token: string }).token).sub).toBe('alice@example.com');
  });
  it('no token → 401 with WWW-Authenticate: Bearer', async () => {
    const { response } = await call(env, {});
    expect(response.status).toBe(401);
    expect(header(response, 'www-authenticate')).toBe('Bearer');
  });
  it.each<[string, () => Promise<string>]>([
    ['expired', () => idp.sign(good, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['wrong audience', () => idp.sign({ ...good, aud: 'api://other' })],
    ['wrong issuer', () => idp.sign({ ...good, iss: 'https://evil.example.com/' })],
    ['alg none', async () => unsecuredToken({ ...good, exp: Math.floor(Date.now() / 1000) + 600 })],
    ['bad signature', () => idp.sign(good, { foreignKey: true })],
    [
      'HS256 signed with the public key material',
      () =>
        new SignJWT(good)
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('k'.repeat(32))),
    ],
    ['missing user claim', () => idp.sign({ iss: good.iss, aud: good.aud, sub: 's' })],
  ])('%s → 401 invalid_token, token never logged or echoed', async (_n, make) => {
    const token = await make();
    const { response, logs } = await call(env, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(header(response, 'www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect(bodyText(response)).not.toContain(token);
    expect(JSON.stringify(logs)).not.toContain(token);
  });
});

describe('negotiate CORS', () => {
  it('echoes a listed origin with Vary: Origin, also on errors', async () => {
    const env = { CorsAllowedOrigins: 'https://app.example.com' };
    const ok = await call(env, { query: '?userId=a', headers: { origin: 'https://app.example.com' } });
    expect(header(ok.response, 'access-control-allow-origin')).toBe('https://app.example.com');
    expect(header(ok.response, 'vary')).toBe('Origin');
    const err = await call(env, { headers: { origin: 'https://app.example.com' } });
    expect(err.response.status).toBe(400);
    expect(header(err.response, 'access-control-allow-origin')).toBe('https://app.example.com');
    const other = await call(env, { query: '?userId=a', headers: { origin: 'https://evil.example.com' } });
    expect(header(other.response, 'access-control-allow-origin')).toBeUndefined();
  });
  it('answers a preflight', async () => {
    const { response } = await call(
      { CorsAllowedOrigins: '*' },
      { method: 'OPTIONS', headers: { origin: 'https://x.example.com', 'access-control-request-method': 'POST' } },
    );
    expect(response.status).toBe(204);
    expect(header(response, 'access-control-allow-origin')).toBe('*');
    expect(header(response, 'access-control-allow-methods')).toBe('GET, POST, OPTIONS');
  });
  it('adds no CORS headers when not configured', async () => {
    const { response } = await call({}, { query: '?userId=a', headers: { origin: 'https://x.example.com' } });
    expect(header(response, 'access-control-allow-origin')).toBeUndefined();
  });
});
