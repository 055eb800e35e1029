import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { createLineRelay } from '../../../scripts/line-relay';

/** A sink that records each write, so tests see both the text and how many writes it took. */
function recorder() {
  const writes: string[] = [];
  return { writes, write: (text: string) => writes.push(text), text: () => writes.join('') };
}

function relayChunks(chunks: readonly (Buffer | string)[], prefix = '[functions] ') {
  const sink = recorder();
  const relay = createLineRelay(prefix, sink);
  for (const chunk of chunks) relay.push(chunk);
  relay.end();
  return sink;
}

/** What `npm start` wrote before the relay: readline's lines, each written as `${prefix}${line}\n`. */
async function readlineRelay(chunks: readonly Buffer[], prefix: string): Promise<string> {
  const input = new PassThrough();
  let out = '';
  const rl = createInterface({ input, crlfDelay: Infinity }).on('line', (line) => (out += `${prefix}${line}\n`));
  for (const chunk of chunks) input.write(chunk);
  input.end();
  await once(rl, 'close');
  return out;
}

describe('createLineRelay', () => {
  it('prefixes every line of a chunk and writes the chunk once', () => {
    const sink = relayChunks(['one\ntwo\nthree\n']);
    expect(sink.writes).toEqual(['[functions] one\n[functions] two\n[functions] three\n']);
  });

  it('holds a line cut across chunks until its end, and prefixes it once', () => {
    const sink = relayChunks(["Executed 'Functions.ne", "gotiate' (Succeeded)\nnext li", 'ne\n']);
    expect(sink.text()).toBe("[functions] Executed 'Functions.negotiate' (Succeeded)\n[functions] next line\n");
    expect(sink.writes).toHaveLength(2);
  });

  it('writes nothing for a chunk without a line end', () => {
    const sink = recorder();
    const relay = createLineRelay('[emulator] ', sink);
    relay.push('no newline yet');
    expect(sink.writes).toEqual([]);
    relay.push(' - now\n');
    expect(sink.writes).toEqual(['[emulator] no newline yet - now\n']);
  });

  it('writes a last line without a newline when the stream ends, with one', () => {
    expect(relayChunks(['done\nstopping']).text()).toBe('[functions] done\n[functions] stopping\n');
    expect(relayChunks(['all ended\n']).text()).toBe('[functions] all ended\n');
    expect(relayChunks([]).writes).toEqual([]);
  });

  it('turns CRLF and a lone CR into one line end each, also when CR and LF are in different chunks', () => {
    expect(relayChunks(['a\r\nb\r\n']).text()).toBe('[x] a\n[x] b\n'.replaceAll('[x]', '[functions]'));
    expect(relayChunks(['a\r', '\nb\r', '\n']).text()).toBe('[functions] a\n[functions] b\n');
    expect(relayChunks(['a\rb\n']).text()).toBe('[functions] a\n[functions] b\n');
    // A lone CR at the end of a chunk ends its line at once; the next chunk starts a new one.
    const sink = recorder();
    const relay = createLineRelay('[f] ', sink);
    relay.push('a\r');
    expect(sink.text()).toBe('[f] a\n');
    relay.push('b\n');
    expect(sink.text()).toBe('[f] a\n[f] b\n');
  });

  it('keeps empty lines', () => {
    expect(relayChunks(['\n\na\n\r\n']).text()).toBe('[functions] \n[functions] \n[functions] a\n[functions] \n');
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('café ✓\n');
    const sink = relayChunks([bytes.subarray(0, 4), bytes.subarray(4, 7), bytes.subarray(7)]);
    expect(sink.text()).toBe('[functions] café ✓\n');
  });

  it('passes ANSI colour codes through unchanged', () => {
    expect(relayChunks(['\x1b[31merror\x1b[0m\n']).text()).toBe('[functions] \x1b[31merror\x1b[0m\n');
  });

  it('uses the prefix literally, even with $ in it', () => {
    expect(relayChunks(['a\nb\n'], "[$&$'] ").text()).toBe("[$&$'] a\n[$&$'] b\n");
  });

  it('writes what readline-per-line wrote, for any text cut into any chunks', async () => {
    const piece = fc.constantFrom('a', 'line', ' ', '\n', '\r', '\r\n', 'é', '✓', '\x1b[32m', '[emulator]');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), async (pieces, cuts) => {
        const bytes = Buffer.from(pieces.join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
        expect(relayChunks(chunks, '[functions] ').text()).toBe(await readlineRelay(chunks, '[functions] '));
      }),
      { numRuns: 300 },
    );
  });
});
