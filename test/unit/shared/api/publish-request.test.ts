import fc from 'fast-check';
import { BadRequestError, PayloadTooLargeError, WebPubSubError } from '../../../../shared/http/errors';
import { MAX_MESSAGE_BYTES, MAX_PUBLISH_BODY_BYTES, parsePublishRequest } from '../../../../shared/api/publish-request';

const HUBS = ['chat', 'Games'];
const parse = (body: unknown) => parsePublishRequest(typeof body === 'string' ? body : JSON.stringify(body), HUBS);

describe('parsePublishRequest', () => {
  it('defaults: first hub, everyone, json', () => {
    expect(parse({ data: { a: 1 } })).toEqual({ hub: 'chat', target: { kind: 'all' }, message: { dataType: 'json', data: { a: 1 } }, excluded: [] });
  });
  it('reads each target, the hub case-insensitively, excluded', () => {
    expect(parse({ hub: 'games', group: 'g 1', data: 'x', dataType: 'text', excluded: ['c1', 'c1', 'c2'] })).toEqual({
      hub: 'Games',
      target: { kind: 'group', group: 'g 1' },
      message: { dataType: 'text', data: 'x' },
      excluded: ['c1', 'c2'],
    });
    expect(parse({ user: 'alice', data: null }).target).toEqual({ kind: 'user', userId: 'alice' });
    expect(parse({ connectionId: 'c9', data: 1 }).target).toEqual({ kind: 'connection', connectionId: 'c9' });
  });
  it('decodes binary from strict base64', () => {
    const m = parse({ data: 'AAH/', dataType: 'binary' }).message;
    expect(m.dataType).toBe('binary');
    expect([...(m.data as Uint8Array)]).toEqual([0, 1, 255]);
  });
  it.each<[string, unknown, RegExp]>([
    ['malformed JSON', '{"data":', /not valid JSON/],
    ['not an object', '[1]', /JSON object/],
    ['no data', { group: 'g' }, /"data" is required/],
    ['two targets', { group: 'g', user: 'u', data: 1 }, /at most one target/],
    ['unknown dataType', { data: 1, dataType: 'xml' }, /"dataType"/],
    ['text data not a string', { data: { a: 1 }, dataType: 'text' }, /must be a string/],
    ['binary not base64', { data: 'abc', dataType: 'binary' }, /base64/],
    ['binary with whitespace', { data: 'AA H/', dataType: 'binary' }, /base64/],
    ['binary url-safe alphabet', { data: 'AA-_', dataType: 'binary' }, /base64/],
    ['unknown hub', { hub: 'nope', data: 1 }, /not a configured hub/],
    ['hub not a string', { hub: 1, data: 1 }, /"hub"/],
    ['empty group', { group: '', data: 1 }, /"group"/],
    ['whitespace group', { group: '   ', data: 1 }, /"group"/],
    ['empty user', { user: '', data: 1 }, /"user"/],
    ['excluded not an array', { excluded: 'c1', data: 1 }, /"excluded"/],
    ['excluded with connectionId', { connectionId: 'c', excluded: ['d'], data: 1 }, /cannot be combined/],
    ['unknown field (typo)', { grup: 'g', data: 1 }, /unknown field/],
    ['oversized text', { data: 'x'.repeat(MAX_MESSAGE_BYTES + 1), dataType: 'text' }, /at most/],
    ['oversized json', { data: ['x'.repeat(MAX_MESSAGE_BYTES)] }, /at most/],
  ])('400: %s', (_name, body, message) => {
    expect(() => parse(body)).toThrow(BadRequestError);
    expect(() => parse(body)).toThrow(message);
  });
  it('413 for a raw body over the limit', () => {
    expect(() => parse(' '.repeat(MAX_PUBLISH_BODY_BYTES + 1))).toThrow(PayloadTooLargeError);
  });
  it('accepts exactly 1 MB of decoded binary', () => {
    const data = Buffer.alloc(MAX_MESSAGE_BYTES).toString('base64');
    expect((parse({ data, dataType: 'binary' }).message.data as Uint8Array).byteLength).toBe(MAX_MESSAGE_BYTES);
  });
  it('property: arbitrary bodies → a request or a 400/413, nothing else', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constantFrom('chat', 'games', 'g', 'json', 'text', 'binary', 'AAAA'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().map((s) => s),
          fc.dictionary(fc.constantFrom('hub', 'group', 'user', 'connectionId', 'data', 'dataType', 'excluded', 'other'), field).map((o) => JSON.stringify(o)),
        ),
        (body) => {
          try {
            const r = parsePublishRequest(body, HUBS);
            expect(HUBS).toContain(r.hub);
            if (r.message.dataType === 'text') expect(typeof r.message.data).toBe('string');
            if (r.message.dataType === 'binary') expect(r.message.data).toBeInstanceOf(Uint8Array);
          } catch (e) {
            expect(e).toBeInstanceOf(WebPubSubError);
            expect([400, 413]).toContain((e as WebPubSubError).status);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
  it('property: base64 of any bytes round-trips; any single-character corruption is caught or decodes canonically', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const data = Buffer.from(bytes).toString('base64');
        expect([...(parse({ data, dataType: 'binary' }).message.data as Uint8Array)]).toEqual([...bytes]);
      }),
      { numRuns: 1000 },
    );
  });
});
