import { SignJWT } from 'jose';
import { audienceMatchesHub, verifyClientToken } from '../../../../emulator/signalr/client-token';
import { verifyRestToken } from '../../../../emulator/signalr/rest-auth';

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
