import { issueReconnectionToken, verifyReconnectionToken } from '../../../../emulator/auth/reconnection-token';

describe('reconnection tokens', () => {
  const KEY = 'k-0123456789-0123456789-0123456789';
  it('verifies for the connection it was issued for, with any configured key', () => {
    const t = issueReconnectionToken('conn1', KEY);
    expect(verifyReconnectionToken(t, 'conn1', ['other', KEY])).toBe(true);
  });
  it.each([
    ['another connection', () => verifyReconnectionToken(issueReconnectionToken('conn1', KEY), 'conn2', [KEY])],
    ['another key', () => verifyReconnectionToken(issueReconnectionToken('conn1', 'x'), 'conn1', [KEY])],
    ['a forged value', () => verifyReconnectionToken('forged', 'conn1', [KEY])],
    ['an expired token', () => verifyReconnectionToken(issueReconnectionToken('conn1', KEY, 1000), 'conn1', [KEY], 1000 + 8 * 24 * 3600)],
  ])('refuses %s', (_name, check) => {
    expect(check()).toBe(false);
  });
  it('issues a different token each time', () => {
    expect(issueReconnectionToken('c', KEY)).not.toBe(issueReconnectionToken('c', KEY));
  });
});
