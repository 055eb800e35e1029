import type { DispatchResult } from '../../../../emulator/upstream/event-dispatcher';
import { mapUserEventReply } from '../../../../emulator/upstream/user-event-reply';

const reply = (status: number, body = '', headers: Record<string, string> = {}): DispatchResult => ({
  kind: 'reply',
  response: { status, headers, body: Buffer.from(body) },
});

describe('mapUserEventReply', () => {
  it.each([
    ['204', reply(204, 'ignored'), { ok: true }],
    ['200 empty', reply(200), { ok: true }],
    ['text/plain', reply(200, 'hi', { 'content-type': 'text/plain; charset=utf-8' }), { ok: true, message: { dataType: 'text', data: Buffer.from('hi') } }],
    [
      'application/json',
      reply(200, '{"a":1}', { 'content-type': 'application/json' }),
      { ok: true, message: { dataType: 'json', data: Buffer.from('{"a":1}') } },
    ],
    ['octet-stream', reply(200, 'b', { 'content-type': 'application/octet-stream' }), { ok: true, message: { dataType: 'binary', data: Buffer.from('b') } }],
    ['no content type', reply(200, 'b'), { ok: true, message: { dataType: 'binary', data: Buffer.from('b') } }],
    ['state', reply(204, '', { 'ce-connectionstate': 's' }), { ok: true, state: 's' }],
  ])('%s', (_name, result, expected) => {
    expect(mapUserEventReply(result)).toEqual(expected);
  });

  it.each([
    ['no handler', { kind: 'no-handler' } as DispatchResult],
    ['a failure', { kind: 'failed', reason: 'timeout' } as DispatchResult],
    ['400', reply(400)],
    ['500', reply(500)],
  ])('fails for %s', (_name, result) => {
    expect(mapUserEventReply(result)).toMatchObject({ ok: false });
  });
});
