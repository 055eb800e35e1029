import { Writable } from 'node:stream';
import { createConsoleLog } from '../../../local-host/host-log';

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
const strip = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /, ''));

describe('createConsoleLog (local host)', () => {
  it('writes the info lines of one event-loop turn in a single write, in order', async () => {
    const out = sink();
    const err = sink();
    const log = createConsoleLog(out.stream, err.stream);
    log.info('Executed a');
    log.info('Executed b');
    expect(out.writes).toEqual([]);
    await turn();
    expect(out.writes).toHaveLength(1);
    expect(strip(out.all())).toEqual(['Executed a', 'Executed b']);
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
