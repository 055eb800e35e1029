import fc from 'fast-check';
import { BadRequestError } from '../../../../shared/http/errors';
import { decodeHeaderValue } from '../../../../shared/upstream/percent-decoding';

/** The encoder of the CloudEvents HTTP binding §3.1.3.2, written out here so the test does not trust the code under test. */
function encode(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x21 && cp <= 0x7e && ch !== '"' && ch !== '%') out += ch;
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

describe('decodeHeaderValue (CloudEvents HTTP binding §3.1.3.2)', () => {
  it.each([
    ['Дмитрий', '%D0%94%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9'],
    ['Euro € 😀', 'Euro%20%E2%82%AC%20%F0%9F%98%80'],
    ['100% "sure"', '100%25%20%22sure%22'],
    ['plain-ascii_id.1', 'plain-ascii_id.1'],
  ])('%s arrives intact', (decoded, wire) => {
    expect(encode(decoded)).toBe(wire);
    expect(decodeHeaderValue('ce-userId', wire)).toBe(decoded);
  });

  it('accepts lower-case hex and needlessly encoded ASCII', () => {
    expect(decodeHeaderValue('ce-userId', '%d0%94%61lice')).toBe('Дalice');
  });

  it('unquotes a double-quoted value first (older senders), backslash escapes included', () => {
    expect(decodeHeaderValue('ce-userId', '"a b \\"c\\" %C3%A9"')).toBe('a b "c" é');
  });

  it('keeps characters that arrive unencoded (a host that already decoded the value)', () => {
    expect(decodeHeaderValue('ce-userId', 'Дмитрий')).toBe('Дмитрий');
  });

  it.each([
    ['a lone %', 'abc%'],
    ['one hex digit', 'abc%4'],
    ['non-hex digits', '%zz'],
    ['an overlong encoding of space', '%C0%A0'],
    ['a truncated UTF-8 sequence', '%D0'],
    ['a UTF-8 sequence split by a plain character', '%D0x%94'],
    ['an encoded lone surrogate', '%ED%A0%80'],
    ['a lone backslash inside quotes', '"abc\\"'],
    ['a bare quote inside quotes', '"a"b"'],
  ])('%s → 400 InvalidHeaderEncoding naming the header', (_name, wire) => {
    let error: unknown;
    try {
      decodeHeaderValue('ce-userId', wire);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('InvalidHeaderEncoding');
    expect((error as Error).message).toMatch(/^ce-userId is not a valid CloudEvents header value/);
  });

  it('round-trips any string through the binding encoder', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => decodeHeaderValue('ce-userId', encode(s)) === s));
  });

  it('never throws anything but a BadRequestError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('%', 'A', 'f', '0', 'C', '"', '\\', 'é', 'z'), maxLength: 30 }), (s) => {
        try {
          decodeHeaderValue('ce-eventName', s);
        } catch (e) {
          if (!(e instanceof BadRequestError)) throw e;
        }
      }),
    );
  });
});
