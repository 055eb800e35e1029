import { jwtVerify } from 'jose';
import { generateClientToken } from '../../../../emulator/rest/generate-token';

const KEY = 'primary-key-0123456789-0123456789';
const NOW = 1_800_000_000;

describe('generateClientToken (docs/protocol/auth.md §3, §5)', () => {
  it('matches the JS SDK payload shape with all options', async () => {
    const token = generateClientToken(
      { endpoint: 'http://127.0.0.1:8080', hub: 'Hub1', userId: 'user1', roles: ['webpubsub.joinLeaveGroup'], groups: ['g1', 'g2'], minutesToExpire: 5 },
      KEY,
      NOW,
    );
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(KEY), { currentDate: new Date(NOW * 1000) });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      role: ['webpubsub.joinLeaveGroup'],
      'webpubsub.group': ['g1', 'g2'],
      iat: NOW,
      exp: NOW + 300,
      aud: 'http://127.0.0.1:8080/client/hubs/Hub1',
      sub: 'user1',
    });
  });

  it('emits only iat, exp and aud without options', async () => {
    const token = generateClientToken({ endpoint: 'http://localhost:1', hub: 'h', roles: [], groups: [], minutesToExpire: 60 }, KEY, NOW);
    const { payload } = await jwtVerify(token, new TextEncoder().encode(KEY), { currentDate: new Date(NOW * 1000) });
    expect(payload).toEqual({ iat: NOW, exp: NOW + 3600, aud: 'http://localhost:1/client/hubs/h' });
  });
});
