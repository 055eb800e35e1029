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

describe('createConsoleLog with quiet', () => {
  const written = async (quiet: boolean) => {
    const writes: string[] = [];
    const log = createConsoleLog((t) => writes.push(t), { quiet });
    log('open hub=chat id=a', 'traffic');
    log('reject /client/hubs/chat 401: bad token');
    log('rest POST /api/hubs/chat/:send 202 0.4ms', 'traffic');
    log('upstream connect hub=chat id=a http://localhost:7071/api/eventhandler 401 2ms');
    await new Promise((resolve) => setImmediate(resolve));
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
