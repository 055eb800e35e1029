import { SignJWT } from 'jose';
import { audienceMatchesHub, verifyClientToken } from '../../../../emulator/signalr/client-token';
import { HubRegistry } from '../../../../emulator/signalr/hub-registry';
import { matchRestRoute } from '../../../../emulator/signalr/rest-routes';
import { verifyRestToken } from '../../../../emulator/signalr/rest-auth';
import { expandUrlTemplate, upstreamHeaders, upstreamSignature, userClaimsHeader } from '../../../../emulator/signalr/upstream-client';

describe('matchRestRoute', () => {
  it.each([
    ['POST', '/api/hubs/chat/:send', { op: 'sendToAll', hub: 'chat' }],
    ['POST', '/api/hubs/chat/users/u%201/:send', { op: 'sendToUser', hub: 'chat', user: 'u 1' }],
    ['POST', '/api/hubs/chat/groups/g/:send', { op: 'sendToGroup', hub: 'chat', group: 'g' }],
    ['POST', '/api/hubs/chat/connections/c/:send', { op: 'sendToConnection', hub: 'chat', connectionId: 'c' }],
    ['HEAD', '/api/hubs/chat/connections/c', { op: 'connectionExists', hub: 'chat', connectionId: 'c' }],
    ['DELETE', '/api/hubs/chat/connections/c', { op: 'closeConnection', hub: 'chat', connectionId: 'c' }],
    ['PUT', '/api/hubs/chat/groups/g/connections/c', { op: 'addConnectionToGroup', hub: 'chat', group: 'g', connectionId: 'c' }],
    ['DELETE', '/api/hubs/chat/connections/c/groups', { op: 'removeConnectionFromAllGroups', hub: 'chat', connectionId: 'c' }],
    ['PUT', '/api/hubs/chat/users/u/groups/g', { op: 'addUserToGroup', hub: 'chat', group: 'g', user: 'u' }],
    ['HEAD', '/api/hubs/chat/users/u/groups/g', { op: 'userInGroup', hub: 'chat', group: 'g', user: 'u' }],
    ['DELETE', '/api/hubs/chat/users/u/groups', { op: 'removeUserFromAllGroups', hub: 'chat', user: 'u' }],
    ['POST', '/api/hubs/chat/groups/g/:closeConnections', { op: 'closeGroup', hub: 'chat', group: 'g' }],
  ])('%s %s', (method, path, operation) => {
    expect(matchRestRoute(method, path)).toEqual({ kind: 'operation', operation });
  });

  it('answers health, 405 with Allow, and 404 for unknown paths or invalid hubs', () => {
    expect(matchRestRoute('GET', '/api/health')).toEqual({ kind: 'health' });
    expect(matchRestRoute('GET', '/api/hubs/chat/:send')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(matchRestRoute('POST', '/api/hubs/chat/nothing')).toEqual({ kind: 'not-found' });
    expect(matchRestRoute('POST', '/api/hubs/1chat/:send')).toEqual({ kind: 'not-found' });
    expect(matchRestRoute('POST', '/api/hubs/chat/groups/%E0/:send')).toEqual({ kind: 'not-found' });
  });
});

describe('HubRegistry', () => {
  it('tracks connections, groups and user-group memberships that follow the user', () => {
    const r = new HubRegistry<{ connectionId: string; hub: string; userId?: string }>();
    const a = { connectionId: 'a', hub: 'Chat', userId: 'ann' };
    const b = { connectionId: 'b', hub: 'chat', userId: 'ben' };
    r.add(a);
    r.add(b);
    expect(r.all('CHAT')).toEqual([a, b]);
    expect(r.addToGroup('chat', 'g', 'a')).toBe(true);
    expect(r.addToGroup('chat', 'g', 'zzz')).toBe(false);
    r.addUserToGroup('chat', 'vip', 'ben');
    expect(r.ofGroup('chat', 'vip')).toEqual([b]);
    const b2 = { connectionId: 'b2', hub: 'chat', userId: 'ben' };
    r.add(b2);
    expect(r.ofGroup('chat', 'vip')).toEqual([b, b2]);
    expect(r.isUserInGroup('chat', 'g', 'ann')).toBe(true);
    r.removeUserFromAllGroups('chat', 'ann');
    expect(r.ofGroup('chat', 'g')).toEqual([]);
    r.remove(b);
    r.remove(b2);
    expect(r.ofUser('chat', 'ben')).toEqual([]);
    // The user stays in the group after disconnecting: a new connection is a member again.
    r.add(b);
    expect(r.isUserInGroup('chat', 'vip', 'ben')).toBe(true);
  });
});

describe('tokens', () => {
  const key = new TextEncoder().encode('k');
  const sign = (claims: Record<string, unknown>, aud: string, exp = Math.floor(Date.now() / 1000) + 60) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience(aud).setExpirationTime(exp).sign(key);

  it('accepts a client token for the hub under any host, with the user from nameid or the long claim', async () => {
    expect(audienceMatchesHub('http://127.0.0.1:1/client/?hub=Chat', 'chat')).toBe(true);
    expect(audienceMatchesHub('http://localhost/client?hub=other', 'chat')).toBe(false);
    expect(audienceMatchesHub('http://localhost/api/hubs/chat', 'chat')).toBe(false);
    expect(await verifyClientToken(await sign({ nameid: 'ann' }, 'http://localhost/client/?hub=chat'), 'chat', ['x', 'k'])).toMatchObject({ userId: 'ann' });
    const long = await sign({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': 'bob' }, 'http://h/client/?hub=chat');
    expect((await verifyClientToken(long, 'chat', ['k'])).userId).toBe('bob');
  });

  it('refuses expired, foreign-key and other-hub client tokens, and tokens without exp', async () => {
    await expect(verifyClientToken(await sign({}, 'http://h/client/?hub=chat', 1), 'chat', ['k'])).rejects.toThrow(/expired/);
    await expect(verifyClientToken(await sign({}, 'http://h/client/?hub=chat'), 'chat', ['other'])).rejects.toThrow(/not valid/);
    await expect(verifyClientToken(await sign({}, 'http://h/client/?hub=x'), 'chat', ['k'])).rejects.toThrow(/audience/);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience('http://h/client/?hub=chat').sign(key);
    await expect(verifyClientToken(noExp, 'chat', ['k'])).rejects.toThrow();
  });

  it('checks REST tokens against the request path', async () => {
    expect(await verifyRestToken(`Bearer ${await sign({}, 'http://localhost:9/api/hubs/chat/:send')}`, '/api/hubs/chat/:send', ['k'])).toBeUndefined();
    expect(await verifyRestToken(`Bearer ${await sign({}, 'http://localhost:9/api/hubs/other/:send')}`, '/api/hubs/chat/:send', ['k'])).toMatch(/audience/);
    expect(await verifyRestToken(undefined, '/api/hubs/chat/:send', ['k'])).toMatch(/Missing/);
  });
});

describe('upstream requests', () => {
  it('signs the connection id with every key, in order', () => {
    expect(upstreamSignature(['k1', 'k2'], 'c')).toMatch(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/);
    expect(upstreamSignature(['k1'], 'c')).not.toBe(upstreamSignature(['k1'], 'd'));
  });

  it('expands {hub}, {category} and {event} URL-encoded', () => {
    expect(expandUrlTemplate('http://h/{hub}/api/{category}/{Event}', { hub: 'chat', category: 'messages', event: 'a b/c' })).toBe('http://h/chat/api/messages/a%20b%2Fc');
  });

  it('sends the documented headers and the claims without token plumbing', () => {
    const h = upstreamHeaders(['k'], { hub: 'chat', category: 'messages', event: 'send', connectionId: 'c', userId: 'u', claims: { nameid: 'u', exp: 1, aud: 'x', role: ['a', 'b'] }, clientQuery: 'hub=chat&x=1', contentType: 'application/json', body: new Uint8Array() });
    expect(Object.keys(h).sort()).toEqual(['Content-Type', 'X-ASRS-Category', 'X-ASRS-Client-Query', 'X-ASRS-Connection-Id', 'X-ASRS-Event', 'X-ASRS-Hub', 'X-ASRS-Signature', 'X-ASRS-User-Claims', 'X-ASRS-User-Id']);
    expect(JSON.parse(userClaimsHeader({ nameid: 'u', exp: 1, role: ['a', 'b'] }))).toEqual([
      { Type: 'nameid', Value: 'u' },
      { Type: 'role', Value: 'a' },
      { Type: 'role', Value: 'b' },
    ]);
  });
});
