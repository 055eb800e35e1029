import { createConsoleLog, LOG_FLUSH_BYTES, logValue } from '../../../emulator/log';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createConsoleLog', () => {
  it('writes the lines of a flush window in a single write, in order, timestamped', async () => {
    const writes: string[] = [];
    const log = createConsoleLog((t) => writes.push(t), { flushMs: 30 });
    log('open a');
    log('open b');
    await new Promise((resolve) => setImmediate(resolve));
    log('close a');
    // Several event-loop turns later the lines are still held: one write per window, not per turn.
    expect(writes).toEqual([]);
    await sleep(60);
    expect(writes).toHaveLength(1);
    expect(
      writes[0]!
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{3} /, '')),
    ).toEqual(['open a', 'open b', 'close a']);
    log('later');
    await sleep(60);
    expect(writes).toHaveLength(2);
  });

  it('writes at once when the pending text reaches its bound (a connect storm keeps memory bounded)', () => {
    const writes: string[] = [];
    const log = createConsoleLog((t) => writes.push(t), { flushMs: 60_000 });
    const line = 'x'.repeat(1000);
    for (let i = 0; i * 1000 < LOG_FLUSH_BYTES; i++) log(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.length).toBeGreaterThanOrEqual(LOG_FLUSH_BYTES);
  });
});

describe('createConsoleLog with quiet', () => {
  const written = async (quiet: boolean) => {
    const writes: string[] = [];
    const log = createConsoleLog((t) => writes.push(t), { quiet, flushMs: 1 });
    log('open hub=chat id=a', 'traffic');
    log('reject /client/hubs/chat 401: bad token');
    log('rest POST /api/hubs/chat/:send 202 0.4ms', 'traffic');
    log('upstream connect hub=chat id=a http://localhost:7071/api/eventhandler 401 2ms');
    await sleep(20);
    return writes.join('').replace(/^\d\d:\d\d:\d\d\.\d{3} /gm, '');
  };

  it('leaves out traffic lines and keeps every other line', async () => {
    expect(await written(true)).toBe(
      'reject /client/hubs/chat 401: bad token\nupstream connect hub=chat id=a http://localhost:7071/api/eventhandler 401 2ms\n',
    );
  });

  it('writes traffic lines when not quiet', async () => {
    expect((await written(false)).split('\n').filter(Boolean)).toHaveLength(4);
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
