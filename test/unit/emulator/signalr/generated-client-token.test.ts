import { decodeJwt, decodeProtectedHeader } from 'jose';
import { verifyClientToken } from '../../../../emulator/signalr/client-token';
import {
  DEFAULT_MINUTES_TO_EXPIRE,
  GenerateTokenError,
  generateSignalRClientToken,
  parseMinutesToExpire,
} from '../../../../emulator/signalr/generated-client-token';
import { TEMPORARY_KEY_LIFETIME_MS, TemporaryAccessKeys } from '../../../../emulator/signalr/temporary-access-keys';

describe('parseMinutesToExpire (docs/protocol/rest-api.md §2 op 25)', () => {
  it('defaults to 60 and takes 1 up to the 32-bit limit', () => {
    expect(parseMinutesToExpire(null)).toBe(DEFAULT_MINUTES_TO_EXPIRE);
    expect(parseMinutesToExpire('1')).toBe(1);
    expect(parseMinutesToExpire('2147483647')).toBe(2147483647);
  });

  it.each(['0', '2147483648', '9999999999', '99999999999999', '-5', '1.5', 'abc', ''])('refuses %p with a message naming the range', (raw) => {
    expect(() => parseMinutesToExpire(raw)).toThrow(GenerateTokenError);
    expect(() => parseMinutesToExpire(raw)).toThrow(/^minutesToExpire must be a whole number of minutes from 1 to 2147483647; got '/);
  });
});

describe('generateSignalRClientToken (docs/protocol/signalr.md §6.2)', () => {
  const endpoint = 'https://localhost:1';
  const start = 1_700_000_000_000;

  it.each([5, 90, 120, 24 * 60])('a %i-minute token stays verifiable until it expires: its key lives at least as long', async (minutes) => {
    let now = start;
    const keys = new TemporaryAccessKeys(() => now);
    const token = await generateSignalRClientToken(keys, { endpoint, hub: 'chat', userId: 'ann', minutesToExpire: minutes }, now);
    const exp = decodeJwt(token).exp!;
    expect(exp).toBe(start / 1000 + minutes * 60);
    const check = () => {
      const key = keys.keyFor(decodeProtectedHeader(token).kid);
      return key === undefined ? Promise.reject(new Error('the key is gone')) : verifyClientToken(token, 'chat', [key], now);
    };
    now = exp * 1000 - 1000;
    await expect(check()).resolves.toMatchObject({ userId: 'ann' });
    now = exp * 1000 + 1000;
    await expect(check()).rejects.toThrow();
  });

  it('keys for short tokens keep the usual 90-minute lifetime', async () => {
    let now = start;
    const keys = new TemporaryAccessKeys(() => now);
    const token = await generateSignalRClientToken(keys, { endpoint, hub: 'chat', minutesToExpire: 5 }, now);
    const kid = decodeProtectedHeader(token).kid;
    now += TEMPORARY_KEY_LIFETIME_MS - 1;
    expect(keys.keyFor(kid)).toBeDefined();
    now += 1;
    expect(keys.keyFor(kid)).toBeUndefined();
  });

  it('names the hub in the audience and the user in nameid', async () => {
    const token = await generateSignalRClientToken(new TemporaryAccessKeys(), { endpoint, hub: 'a b', userId: 'u', minutesToExpire: 1 });
    expect(decodeJwt(token)).toMatchObject({ aud: `${endpoint}/client/?hub=a%20b`, nameid: 'u' });
    expect(decodeJwt(await generateSignalRClientToken(new TemporaryAccessKeys(), { endpoint, hub: 'h', minutesToExpire: 1 }))).not.toHaveProperty('nameid');
  });
});
