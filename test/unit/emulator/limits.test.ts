import { DEFAULT_LIMITS, resolveLimits, tooManyConnectionsMessage } from '../../../emulator/limits';
import { parseCliArgs, CliUsageError } from '../../../emulator/cli';

describe('emulator limits', () => {
  it('defaults to 256 MB buffered and 100 connections per user', () => {
    expect(resolveLimits(undefined)).toEqual({ maxBufferedBytes: 256 * 1024 * 1024, maxConnectionsPerUser: 100 });
    expect(resolveLimits({ maxConnectionsPerUser: 2 })).toEqual({ ...DEFAULT_LIMITS, maxConnectionsPerUser: 2 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %p', (v) => {
    expect(() => resolveLimits({ maxBufferedBytes: v })).toThrow(/maxBufferedBytes must be a positive whole number/);
  });

  it('says which user reached which limit', () => {
    expect(tooManyConnectionsMessage('bob', 3)).toBe('user "bob" already has 3 connections to this hub (the limit per user); close one first');
  });

  it('reads --max-buffered-mb and --max-connections-per-user from the command line', () => {
    expect(parseCliArgs(['--max-buffered-mb', '64', '--max-connections-per-user=5'])).toEqual({
      kind: 'run',
      options: { upstreams: [], keys: [], limits: { maxBufferedBytes: 64 * 1024 * 1024, maxConnectionsPerUser: 5 } },
    });
    expect(() => parseCliArgs(['--max-buffered-mb', '0'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--max-connections-per-user', 'many'])).toThrow(/whole number of at least 1/);
  });
});
