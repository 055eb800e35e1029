import { StringDecoder } from 'node:string_decoder';

/** What a relay needs of its target: `process.stdout`, or anything with a `write(text)`. */
export interface TextSink {
  write(text: string): unknown;
}

export interface LineRelay {
  /** One chunk of the child's output, cut anywhere (mid-line, mid-character, between `\r` and `\n`). */
  push(chunk: Buffer | string): void;
  /** The child's stream ended: a last line without a newline is written, with one. */
  end(): void;
}

const CR = 13;
const LF = 10;
const LINE_END = /\r\n?|\n/g;

/**
 * Prefixes every line of a child's output (`[functions] ...`) and writes each chunk with one `write`,
 * however many lines it holds. Lines end at `\n`, `\r\n` or a lone `\r`, as `readline` splits them,
 * and are written with `\n`. A line cut across chunks waits for its end (or for `end()`), so it is
 * never split or prefixed twice. Bytes are decoded as UTF-8 across chunk boundaries; everything else,
 * ANSI colour codes included, passes through unchanged.
 */
export function createLineRelay(prefix: string, sink: TextSink): LineRelay {
  const decoder = new StringDecoder('utf8');
  // `$` is special in a replacement string; a prefix could hold one.
  const separator = `\n${prefix.replaceAll('$', '$$$$')}`;
  /** The start of a line whose end has not arrived yet. */
  let partial = '';
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to that line end. */
  let afterReturn = false;

  const relay = (text: string): void => {
    if (afterReturn && text.startsWith('\n')) text = text.slice(1);
    afterReturn = false;
    if (text === '') return;
    const lastEnd = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (lastEnd < 0) {
      partial += text;
      return;
    }
    const last = text.charCodeAt(lastEnd);
    afterReturn = last === CR && lastEnd === text.length - 1;
    const cut = last === LF && lastEnd > 0 && text.charCodeAt(lastEnd - 1) === CR ? lastEnd - 1 : lastEnd;
    const complete = partial + text.slice(0, cut);
    partial = text.slice(lastEnd + 1);
    // The line ends inside `complete` become "\n<prefix>"; the last one was cut off above and is added back.
    sink.write(`${prefix}${complete.replace(LINE_END, separator)}\n`);
  };

  return {
    push: (chunk) => relay(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end: () => {
      relay(decoder.end());
      if (partial !== '') sink.write(`${prefix}${partial}\n`);
      partial = '';
    },
  };
}
