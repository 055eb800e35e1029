import { encode } from '@msgpack/msgpack';
import type { HubMessage } from '../../../../emulator/signalr/hub-messages';
import { jsonHubProtocol } from '../../../../emulator/signalr/json-hub-protocol';
import { messagePackHubProtocol, prefixLength, splitFrames } from '../../../../emulator/signalr/msgpack-hub-protocol';

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

const messages: HubMessage[] = [
  { type: 1, target: 'send', arguments: [{ a: 1 }, 'x', null] },
  { type: 1, invocationId: '1', target: 'add', arguments: [1, 2], streamIds: ['s1'] },
  { type: 2, invocationId: '2', item: { n: 3 } },
  { type: 3, invocationId: '3' },
  { type: 3, invocationId: '4', result: 42, hasResult: true },
  { type: 3, invocationId: '5', error: 'boom' },
  { type: 4, invocationId: '6', target: 'stream', arguments: [] },
  { type: 5, invocationId: '7' },
  { type: 6 },
  { type: 7, error: 'bye', allowReconnect: true },
];

describe.each([jsonHubProtocol, messagePackHubProtocol])('the $name hub protocol', (protocol) => {
  it('round-trips every message type, several in one payload', () => {
    const payload = concat(...messages.map((m) => protocol.write(m)));
    const parsed = protocol.parse(payload).map((m) => ({ ...m, headers: undefined }));
    expect(parsed.map((m) => JSON.parse(JSON.stringify(m)))).toEqual(
      messages.map((m) => {
        const normal = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
        // MessagePack always carries streamIds on invocations (an empty list).
        if (protocol.name === 'messagepack' && (m.type === 1 || m.type === 4) && !m.streamIds) normal['streamIds'] = [];
        return normal;
      }),
    );
  });

  it('refuses truncated input', () => {
    const whole = protocol.write(messages[0]!);
    expect(() => protocol.parse(whole.subarray(0, whole.length - 1))).toThrow(/incomplete/);
  });
});

describe('JSON framing', () => {
  it('writes a completion with a null result as result: null and a void one without result', () => {
    expect(new TextDecoder().decode(jsonHubProtocol.write({ type: 3, invocationId: '1', result: null, hasResult: true }))).toBe(
      '{"type":3,"invocationId":"1","result":null}\u001e',
    );
    expect(new TextDecoder().decode(jsonHubProtocol.write({ type: 3, invocationId: '1' }))).toBe('{"type":3,"invocationId":"1"}\u001e');
  });

  it.each([
    ['invalid JSON', '{\u001e'],
    ['an array', '[1]\u001e'],
    ['no type', '{"target":"x"}\u001e'],
    ['an unknown type', '{"type":99}\u001e'],
    ['a non-string target', '{"type":1,"target":5,"arguments":[]}\u001e'],
  ])('refuses %s', (_n, text) => {
    expect(() => jsonHubProtocol.parse(enc(text))).toThrow();
  });
});

describe('MessagePack framing', () => {
  it('uses a varint length prefix (1 byte below 128, 2 from 128)', () => {
    expect([...prefixLength(new Uint8Array(127)).subarray(0, 1)]).toEqual([127]);
    expect([...prefixLength(new Uint8Array(128)).subarray(0, 2)]).toEqual([0x80, 0x01]);
    expect([...prefixLength(new Uint8Array(300)).subarray(0, 2)]).toEqual([0xac, 0x02]);
    expect(splitFrames(concat(prefixLength(new Uint8Array(300)), prefixLength(new Uint8Array(2))))).toHaveLength(2);
  });

  it('decodes what the official client layout sends and ignores extra trailing fields', () => {
    const frame = prefixLength(encode([1, { h: 'v' }, null, 'send', ['x'], [], 'future-field']));
    expect(messagePackHubProtocol.parse(frame)).toEqual([{ type: 1, headers: { h: 'v' }, target: 'send', arguments: ['x'], streamIds: [] }]);
  });

  it('refuses a prefix longer than 5 bytes, unknown result kinds and non-arrays', () => {
    expect(() => splitFrames(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/5 bytes/);
    expect(() => messagePackHubProtocol.parse(prefixLength(encode([3, {}, '1', 9])))).toThrow(/result kind/);
    expect(() => messagePackHubProtocol.parse(prefixLength(encode({ type: 1 })))).toThrow();
  });
});
