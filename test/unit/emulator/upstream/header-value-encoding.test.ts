import fc from 'fast-check';
import { percentEncodeHeaderValue } from '../../../../emulator/upstream/header-value-encoding';
import { buildCloudEventHeaders, userEvent } from '../../../../emulator/upstream/cloud-event-request';

describe('percentEncodeHeaderValue (CloudEvents HTTP binding §3.1.3.2)', () => {
  it('leaves printable ASCII other than space, " and % unchanged', () => {
    expect(percentEncodeHeaderValue('alice-01_x.y@z/+=:')).toBe('alice-01_x.y@z/+=:');
  });

  it('encodes space, " and % and every non-ASCII character as UTF-8 bytes', () => {
    expect(percentEncodeHeaderValue('a b')).toBe('a%20b');
    expect(percentEncodeHeaderValue('"q"')).toBe('%22q%22');
    expect(percentEncodeHeaderValue('100%')).toBe('100%25');
    expect(percentEncodeHeaderValue('Дмитрий')).toBe('%D0%94%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9');
    expect(percentEncodeHeaderValue('café')).toBe('caf%C3%A9');
    expect(percentEncodeHeaderValue('😀')).toBe('%F0%9F%98%80');
    expect(percentEncodeHeaderValue('a\tb\x7f')).toBe('a%09b%7F');
  });

  it('turns a lone surrogate into U+FFFD instead of throwing', () => {
    expect(percentEncodeHeaderValue('x\ud800')).toBe('x%EF%BF%BD');
  });

  it('always yields a value Node accepts in a header, which decodeURIComponent turns back into the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const encoded = percentEncodeHeaderValue(s);
        expect(encoded).toMatch(/^[\x21-\x7e]*$/);
        expect(decodeURIComponent(encoded)).toBe(s);
      }),
    );
  });
});

describe('buildCloudEventHeaders with names outside Latin-1', () => {
  it('percent-encodes ce-userId, ce-eventName and ce-type', () => {
    const headers = buildCloudEventHeaders({
      event: userEvent('событие', 'text', Buffer.from('x')),
      connection: { hub: 'chat', connectionId: 'c1', userId: 'Дмитрий', subprotocol: null, state: '' },
      ceId: '1',
      time: new Date(),
      keys: ['k'],
      origin: 'localhost',
    });
    expect(decodeURIComponent(headers['ce-userId']!)).toBe('Дмитрий');
    expect(decodeURIComponent(headers['ce-eventName']!)).toBe('событие');
    expect(decodeURIComponent(headers['ce-type']!)).toBe('azure.webpubsub.user.событие');
    for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
  });

  it('echoes ce-connectionState exactly as the app set it (an opaque value that already passed through HTTP)', () => {
    const headers = buildCloudEventHeaders({
      event: userEvent('message', 'text', Buffer.from('x')),
      connection: { hub: 'chat', connectionId: 'c1', userId: 'u', subprotocol: null, state: 'a%20b "c"' },
      ceId: '1',
      time: new Date(),
      keys: [],
      origin: 'localhost',
    });
    expect(headers['ce-connectionState']).toBe('a%20b "c"');
  });
});
