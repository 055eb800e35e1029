import { createConsoleLog, logValue } from '../../../emulator/log';

describe('createConsoleLog', () => {
  it('writes every line of one event-loop turn in a single write, in order, timestamped', async () => {
    const writes: string[] = [];
    const log = createConsoleLog((t) => writes.push(t));
    log('open a');
    log('open b');
    log('close a');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(
      writes[0]!
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{3} /, '')),
    ).toEqual(['open a', 'open b', 'close a']);
    log('later');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
  });
});

describe('logValue', () => {
  it('quotes values with spaces or quotes, and shows absent values as -', () => {
    expect(logValue('alice')).toBe('alice');
    expect(logValue('a b')).toBe('"a b"');
    expect(logValue('')).toBe('""');
    expect(logValue(null)).toBe('-');
  });
});
