import { BadRequestError, UnsupportedMediaTypeError } from '../../../../emulator/core/service-errors';
import { toOutboundMessage } from '../../../../emulator/rest/send-payload';

describe('toOutboundMessage (docs/protocol/rest-api.md §3)', () => {
  it.each([
    ['application/json', '{"a":[1,2]}', 'json'],
    ['Application/JSON; charset=utf-8', '"text as json"', 'json'],
    ['text/plain', 'héllo', 'text'],
    ['text/plain;charset=UTF-8', '', 'text'],
    ['application/octet-stream', '\u0000\u00ff', 'binary'],
  ])('%s → %s keeps the exact bytes', (contentType, text, dataType) => {
    const body = Buffer.from(text, 'utf8');
    expect(toOutboundMessage(contentType, body)).toEqual({ dataType: dataType === 'binary' ? 'binary' : dataType, data: body });
  });

  it('keeps arbitrary binary bytes', () => {
    const body = Buffer.from([0xff, 0x00, 0xfe]);
    expect(toOutboundMessage('application/octet-stream', body).data).toBe(body);
  });

  it.each([
    ['application/json', '', /not valid JSON/],
    ['application/json', '{a:1}', /not valid JSON/],
  ])('rejects %s %j with 400', (contentType, text, message) => {
    expect(() => toOutboundMessage(contentType, Buffer.from(text))).toThrow(BadRequestError);
    expect(() => toOutboundMessage(contentType, Buffer.from(text))).toThrow(message);
  });

  it('rejects invalid UTF-8 in text and JSON with 400', () => {
    expect(() => toOutboundMessage('text/plain', Buffer.from([0xc3]))).toThrow(/not valid UTF-8/);
    expect(() => toOutboundMessage('application/json', Buffer.from([0x22, 0xff, 0x22]))).toThrow(/not valid UTF-8/);
  });

  it.each([undefined, '', 'application/xml', 'text/html', 'application/x-www-form-urlencoded', 'application/jsonx'])(
    'rejects content type %j with 415',
    (contentType) => {
      let caught: unknown;
      try {
        toOutboundMessage(contentType, Buffer.from('x'));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UnsupportedMediaTypeError);
      expect((caught as UnsupportedMediaTypeError).status).toBe(415);
      expect((caught as Error).message).toMatch(/application\/json, text\/plain or application\/octet-stream/);
    },
  );
});
