import { Writable } from 'node:stream';
import { createConsoleLog, LOG_FLUSH_BYTES } from '../../../local-host/host-log';

function sink(): { stream: Writable; writes: string[]; all: () => string } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return { stream, writes, all: () => writes.join('') };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const strip = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /, ''));

describe('createConsoleLog (local host)', () => {
  it('writes the info lines of a flush window in a single write, in order', async () => {
    const out = sink();
    const err = sink();
    const log = createConsoleLog(out.stream, err.stream, { flushMs: 30 });
    log.info('Executed a');
    await turn();
    log.info('Executed b');
    // Held across event-loop turns: one write per window, not one per turn.
    expect(out.writes).toEqual([]);
    await sleep(60);
    expect(out.writes).toHaveLength(1);
    expect(strip(out.all())).toEqual(['Executed a', 'Executed b']);
  });

  it('writes at once when the pending text reaches its bound', () => {
    const out = sink();
    const log = createConsoleLog(out.stream, sink().stream, { flushMs: 60_000 });
    for (let i = 0; i * 1000 < LOG_FLUSH_BYTES; i++) log.info('x'.repeat(1000));
    expect(out.writes).toHaveLength(1);
  });

  it('writes pending info lines before a warning, so the two streams keep their order', () => {
    const out = sink();
    const err = sink();
    const log = createConsoleLog(out.stream, err.stream);
    log.info('before');
    log.warn('careful');
    expect(strip(out.all())).toEqual(['before']);
    expect(strip(err.all())).toEqual(['careful']);
  });

  it('flush() writes pending lines at once', () => {
    const out = sink();
    const log = createConsoleLog(out.stream, sink().stream);
    log.info('ready soon');
    log.flush();
    expect(strip(out.all())).toEqual(['ready soon']);
  });
});
