import { handshakeResponse, readHandshake } from '../../../../emulator/signalr/handshake';

const enc = (s: string) => new TextEncoder().encode(s);

describe('handshake', () => {
  it('accepts json and messagepack version 1 and keeps the bytes after the separator', () => {
    const r = readHandshake(enc('{"protocol":"json","version":1}\u001e{"type":6}\u001e'), 'Text');
    expect(r.kind).toBe('accepted');
    expect(r.kind === 'accepted' && new TextDecoder().decode(r.rest)).toBe('{"type":6}\u001e');
    expect(readHandshake(enc('{"protocol":"messagepack","version":1}\u001e'), 'Binary')).toMatchObject({ kind: 'accepted', protocol: { name: 'messagepack' } });
  });

  it('waits for the separator, and refuses unknown protocols, bad versions and binary on a text transport', () => {
    expect(readHandshake(enc('{"protocol":"json"'), 'Text')).toEqual({ kind: 'incomplete' });
    expect(readHandshake(enc('{"protocol":"xml","version":1}\u001e'), 'Text')).toMatchObject({ kind: 'refused', error: expect.stringContaining('xml') });
    expect(readHandshake(enc('{"protocol":"json","version":0}\u001e'), 'Text')).toMatchObject({ kind: 'refused' });
    expect(readHandshake(enc('{"protocol":"messagepack","version":1}\u001e'), 'Text')).toMatchObject({
      kind: 'refused',
      error: expect.stringContaining('binary'),
    });
    expect(readHandshake(enc('nope\u001e'), 'Text')).toMatchObject({ kind: 'refused' });
    expect(readHandshake(new Uint8Array(5000).fill(0x20), 'Text')).toMatchObject({ kind: 'refused' });
  });

  it('answers {} or {"error"} followed by the separator', () => {
    expect(new TextDecoder().decode(handshakeResponse())).toBe('{}\u001e');
    expect(new TextDecoder().decode(handshakeResponse('no'))).toBe('{"error":"no"}\u001e');
  });
});
