import fc from 'fast-check';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createKeyTokenIssuer, createServiceTokenIssuer } from '../../../../shared/auth/client-access-token-issuer';

const KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const issue = createKeyTokenIssuer({ endpoint: 'http://localhost:8080', accessKey: KEY, lifetimeMinutes: 60, now: () => NOW });

describe('client token signed with the access key (docs/protocol/auth.md §3)', () => {
  it('has header {alg: HS256, typ: JWT} and no kid', async () => {
    const { token } = await issue({ hub: 'chat', userId: 'alice', roles: ['webpubsub.joinLeaveGroup'], groups: [] });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('carries exactly aud, sub, role, webpubsub.group, iat, exp', async () => {
    const { token } = await issue({ hub: 'chat', userId: 'alice', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'], groups: ['g1', 'g2'] });
    const iat = NOW / 1000;
    expect(decodeJwt(token)).toEqual({
      aud: 'http://localhost:8080/client/hubs/chat',
      sub: 'alice',
      role: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'],
      'webpubsub.group': ['g1', 'g2'],
      iat,
      exp: iat + 3600,
    });
  });

  it('omits role and webpubsub.group when empty (as the JS SDK does)', async () => {
    const { token } = await issue({ hub: 'Hub1', userId: 'u', roles: [], groups: [] });
    expect(Object.keys(decodeJwt(token)).sort()).toEqual(['aud', 'exp', 'iat', 'sub']);
  });

  it('verifies with the UTF-8 bytes of the access key, and not with another key', async () => {
    const { token } = await issue({ hub: 'chat', userId: 'alice', roles: [], groups: [] });
    const options = { audience: 'http://localhost:8080/client/hubs/chat', currentDate: new Date(NOW) };
    await expect(jwtVerify(token, new TextEncoder().encode(KEY), options)).resolves.toBeDefined();
    await expect(jwtVerify(token, new TextEncoder().encode(`${KEY}x`), options)).rejects.toThrow();
  });

  it('builds url, baseUrl (ws/wss, hub as is) and expiresOn', async () => {
    const access = await issue({ hub: 'Hub1', userId: 'u', roles: [], groups: [] });
    expect(access.baseUrl).toBe('ws://localhost:8080/client/hubs/Hub1');
    expect(access.url).toBe(`ws://localhost:8080/client/hubs/Hub1?access_token=${access.token}`);
    expect(access.expiresOn).toBe('2026-01-01T13:00:00.000Z');
    const secure = createKeyTokenIssuer({ endpoint: 'https://contoso.webpubsub.azure.com', accessKey: KEY, lifetimeMinutes: 5, now: () => NOW });
    const a2 = await secure({ hub: 'chat', userId: 'u', roles: [], groups: [] });
    expect(a2.baseUrl).toBe('wss://contoso.webpubsub.azure.com/client/hubs/chat');
    expect(decodeJwt(a2.token).aud).toBe('https://contoso.webpubsub.azure.com/client/hubs/chat');
    expect(decodeJwt(a2.token).exp! - decodeJwt(a2.token).iat!).toBe(300);
  });

  it('property: any valid user id, roles and groups round-trip exactly and verify', async () => {
    const key = new TextEncoder().encode(KEY);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.array(fc.constantFrom('webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup', 'webpubsub.sendToGroup.g'), { maxLength: 3 }),
        fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 4 }),
        async (userId, roles, groups) => {
          const { token } = await issue({ hub: 'chat', userId, roles, groups });
          const { payload } = await jwtVerify(token, key, { audience: 'http://localhost:8080/client/hubs/chat', currentDate: new Date(NOW) });
          expect(payload.sub).toBe(userId);
          expect(payload.role ?? []).toEqual(roles);
          expect(payload['webpubsub.group'] ?? []).toEqual(groups);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('MQTT client tokens (negotiate ?protocol=mqtt)', () => {
  it('signs the MQTT endpoint as audience and returns the MQTT URL', async () => {
    const access = await issue({ hub: 'chat', userId: 'u', roles: [], groups: [], clientProtocol: 'mqtt' });
    expect(access.baseUrl).toBe('ws://localhost:8080/clients/mqtt/hubs/chat');
    expect(decodeJwt(access.token).aud).toBe('http://localhost:8080/clients/mqtt/hubs/chat');
  });

  it('asks the service for an MQTT token when keyless', async () => {
    const calls: unknown[] = [];
    const issuer = createServiceTokenIssuer({
      endpoint: 'https://c.webpubsub.azure.com',
      lifetimeMinutes: 5,
      now: () => NOW,
      generate: async (_hub, options) => (calls.push(options), { token: 'x.y.z' }),
    });
    const access = await issuer({ hub: 'chat', userId: 'u', roles: [], groups: [], clientProtocol: 'mqtt' });
    expect(calls[0]).toMatchObject({ clientProtocol: 'mqtt' });
    expect(access.baseUrl).toBe('wss://c.webpubsub.azure.com/clients/mqtt/hubs/chat');
  });
});

describe('client token from the service (keyless, docs/protocol/auth.md §5)', () => {
  it('passes user, roles, groups and lifetime to generateToken and uses the token exp', async () => {
    const calls: unknown[] = [];
    const exp = NOW / 1000 + 1800;
    const fakeJwt = `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
    const issuer = createServiceTokenIssuer({
      endpoint: 'https://contoso.webpubsub.azure.com',
      lifetimeMinutes: 30,
      now: () => NOW,
      generate: async (hub, options) => {
        calls.push({ hub, options });
        return { token: fakeJwt };
      },
    });
    const access = await issuer({ hub: 'chat', userId: 'bob', roles: ['webpubsub.sendToGroup'], groups: ['g'] });
    expect(calls).toEqual([{ hub: 'chat', options: { userId: 'bob', roles: ['webpubsub.sendToGroup'], groups: ['g'], expirationTimeInMinutes: 30 } }]);
    expect(access).toEqual({
      url: `wss://contoso.webpubsub.azure.com/client/hubs/chat?access_token=${fakeJwt}`,
      baseUrl: 'wss://contoso.webpubsub.azure.com/client/hubs/chat',
      token: fakeJwt,
      expiresOn: new Date(exp * 1000).toISOString(),
    });
  });
});
