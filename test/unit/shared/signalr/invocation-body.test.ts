import { encode } from '@msgpack/msgpack';
import { parseJsonInvocation, parseMessagePackInvocation } from '../../../../shared/signalr/invocation-body';

const enc = (s: string) => new TextEncoder().encode(s);
function prefixed(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = bytes.length;
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return new Uint8Array([...out, ...bytes]);
}

describe('parseJsonInvocation', () => {
  it('reads an invocation with or without the record separator', () => {
    const msg = { type: 1, invocationId: '7', target: 'send', arguments: [{ a: 1 }, 'x'] };
    expect(parseJsonInvocation(enc(JSON.stringify(msg)))).toEqual({ invocationId: '7', target: 'send', arguments: [{ a: 1 }, 'x'] });
    expect(parseJsonInvocation(enc(`${JSON.stringify({ type: 1, target: 't', arguments: [] })}\u001e`))).toEqual({ target: 't', arguments: [] });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['a completion', '{"type":3,"invocationId":"1"}'],
    ['no target', '{"type":1,"arguments":[]}'],
    ['arguments not an array', '{"type":1,"target":"t","arguments":{}}'],
    ['a numeric invocation id', '{"type":1,"target":"t","arguments":[],"invocationId":5}'],
  ])('refuses %s with 400', (_name, text) => {
    expect(() => parseJsonInvocation(enc(text))).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('parseMessagePackInvocation', () => {
  it('reads the array with and without the length prefix, short and long', () => {
    const small = encode([1, {}, null, 'send', [{ text: 'hi' }], []]);
    expect(parseMessagePackInvocation(prefixed(small))).toEqual({ target: 'send', arguments: [{ text: 'hi' }] });
    expect(parseMessagePackInvocation(small)).toEqual({ target: 'send', arguments: [{ text: 'hi' }] });
    const big = encode([1, {}, 'id-1', 'send', ['x'.repeat(300)]]);
    expect(parseMessagePackInvocation(prefixed(big))).toEqual({ invocationId: 'id-1', target: 'send', arguments: ['x'.repeat(300)] });
  });

  it('refuses what is not an invocation', () => {
    expect(() => parseMessagePackInvocation(new Uint8Array([0xc1]))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseMessagePackInvocation(prefixed(encode([6])))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseMessagePackInvocation(prefixed(encode([1, {}, null, 5, []])))).toThrow(/target/);
  });
});
