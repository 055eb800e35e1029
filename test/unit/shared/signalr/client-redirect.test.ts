import { jwtVerify } from 'jose';
import { clientUrl, createClientRedirect } from '../../../../shared/signalr/client-redirect';

describe('createClientRedirect', () => {
  it('points at the client endpoint with an HS256 token whose audience is that URL', async () => {
    const now = Date.UTC(2026, 0, 1);
    const r = await createClientRedirect({ endpoint: 'https://x.service.signalr.net', hub: 'chat', userId: 'ann', accessKey: 'key', lifetimeMinutes: 60, now });
    expect(r.url).toBe('https://x.service.signalr.net/client/?hub=chat');
    const { payload, protectedHeader } = await jwtVerify(r.accessToken, new TextEncoder().encode('key'), { audience: r.url, currentDate: new Date(now) });
    expect(protectedHeader.alg).toBe('HS256');
    expect(protectedHeader).not.toHaveProperty('kid');
    expect(payload.nameid).toBe('ann');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('keyless: names the temporary key in the header (kid) so the service finds it', async () => {
    const r = await createClientRedirect({ endpoint: 'https://x', hub: 'chat', userId: 'ann', accessKey: 'temp', keyId: 'k-1', lifetimeMinutes: 30 });
    const { protectedHeader } = await jwtVerify(r.accessToken, new TextEncoder().encode('temp'), { audience: r.url });
    expect(protectedHeader.kid).toBe('k-1');
  });

  it('escapes the hub in the URL', () => {
    expect(clientUrl('http://localhost:8081', 'a b')).toBe('http://localhost:8081/client/?hub=a%20b');
  });
});
