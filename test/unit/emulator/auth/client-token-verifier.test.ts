import { claimToStrings, clientAudiences, verifyClientToken } from '../../../../emulator/auth/client-token-verifier';
import { signHs256 } from '../../../../emulator/auth/hs256';
import { BadRequestError, UnauthorizedError } from '../../../../emulator/core/service-errors';

const KEY = 'unit-key-0123456789-0123456789-0123';
const NOW = 1_800_000_000;
const audiences = clientAudiences({ hub: 'Chat', requestHost: '127.0.0.1:8080', endpoint: 'http://localhost:8080' });

describe('clientAudiences', () => {
  it.each([
    ['http://127.0.0.1:8080/client/hubs/chat', true],
    ['http://localhost:8080/client/hubs/chat', true],
    ['http://[::1]:8080/client/hubs/chat', true],
    ['http://localhost:8080/client/?hub=chat', true],
    ['https://localhost:8080/client/hubs/chat', true],
    ['http://localhost:9999/client/hubs/chat', false],
    ['http://localhost:8080/client/hubs/other', false],
    ['http://evil.example:8080/client/hubs/chat', false],
  ])('%s → %s', (aud, expected) => {
    expect(audiences.has(aud)).toBe(expected);
  });
});

describe('verifyClientToken', () => {
  const token = (claims: Record<string, unknown>) => signHs256({ aud: 'http://LOCALHOST:8080/client/hubs/CHAT', exp: NOW + 60, ...claims }, KEY);

  it('maps sub, role (string or array) and webpubsub.group, and stringifies every claim', () => {
    const identity = verifyClientToken(token({ sub: 'alice', role: 'webpubsub.sendToGroup', 'webpubsub.group': ['a', 'b'], n: 5 }), {
      keys: [KEY],
      audiences,
      now: NOW,
    });
    // claims is a getter on the identity's class (built on first read): read every field explicitly.
    const { userId, roles, groups, claims } = identity;
    expect({ userId, roles, groups, claims }).toEqual({
      userId: 'alice',
      roles: ['webpubsub.sendToGroup'],
      groups: ['a', 'b'],
      claims: {
        aud: ['http://LOCALHOST:8080/client/hubs/CHAT'],
        exp: [String(NOW + 60)],
        sub: ['alice'],
        role: ['webpubsub.sendToGroup'],
        'webpubsub.group': ['a', 'b'],
        n: ['5'],
      },
    });
  });

  it('gives a token without sub a null user id', () => {
    expect(verifyClientToken(token({}), { keys: [KEY], audiences, now: NOW }).userId).toBeNull();
  });

  it.each([
    ['another key', signHs256({ aud: 'http://localhost:8080/client/hubs/chat', exp: NOW + 60 }, 'other'), /not signed/],
    ['expired', token({ exp: NOW - 301 }), /expired/],
    ['no exp', signHs256({ aud: 'http://localhost:8080/client/hubs/chat' }, KEY), /no exp/],
    ['nbf in the future', token({ nbf: NOW + 301 }), /not valid yet/],
    ['wrong audience', token({ aud: 'http://localhost:8080/client/hubs/other' }), /audience/],
  ])('rejects a token with %s as Unauthorized, without echoing it', (_name, t, message) => {
    let error: unknown;
    try {
      verifyClientToken(t, { keys: [KEY], audiences, now: NOW });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(t);
  });

  it('rejects an invalid group in webpubsub.group as a bad request', () => {
    expect(() => verifyClientToken(token({ 'webpubsub.group': ['ok', ' '] }), { keys: [KEY], audiences, now: NOW })).toThrow(BadRequestError);
  });
});

describe('claimToStrings', () => {
  it.each([
    ['x', ['x']],
    [1, ['1']],
    [true, ['true']],
    [
      ['a', 2],
      ['a', '2'],
    ],
    [{ o: 1 }, ['{"o":1}']],
  ])('%j → %j', (value, expected) => {
    expect(claimToStrings(value)).toEqual(expected);
  });
});
