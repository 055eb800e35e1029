import { ANONYMOUS, type TokenIdentity } from '../../../../emulator/auth/client-token-verifier';
import { applyConnectReply } from '../../../../emulator/upstream/connect-reply';
import type { DispatchResult } from '../../../../emulator/upstream/event-dispatcher';

const identity: TokenIdentity = { userId: 'tok', roles: ['r1'], groups: ['g1'], claims: {} };
const reply = (status: number, body = '', headers: Record<string, string> = {}): DispatchResult => ({
  kind: 'reply',
  response: { status, headers, body: Buffer.from(body) },
});

describe('applyConnectReply', () => {
  it.each([
    ['no handler', { kind: 'no-handler' } as DispatchResult],
    ['204', reply(204)],
    ['200 empty', reply(200)],
    ['200 whitespace', reply(200, '  ')],
    ['200 {}', reply(200, '{}')],
  ])('%s keeps the token identity', (_name, result) => {
    expect(applyConnectReply(result, identity)).toEqual({ ok: true, userId: 'tok', roles: ['r1'], groups: ['g1'] });
  });

  it('lets the reply replace userId and roles, and groups when non-empty', () => {
    expect(applyConnectReply(reply(200, '{"userId":"h","roles":[],"groups":["g2"],"subprotocol":"json.webpubsub.azure.v1"}'), identity)).toEqual({
      ok: true,
      userId: 'h',
      roles: [],
      groups: ['g2'],
      subprotocol: 'json.webpubsub.azure.v1',
    });
    expect(applyConnectReply(reply(200, '{"groups":[]}'), identity)).toMatchObject({ groups: ['g1'] });
  });

  it('takes ce-connectionState from any 2xx', () => {
    expect(applyConnectReply(reply(204, '', { 'ce-connectionstate': 'abc' }), ANONYMOUS)).toMatchObject({ ok: true, state: 'abc' });
  });

  it.each([
    ['401', reply(401), 401],
    ['403', reply(403, 'nope'), 403],
    ['400', reply(400), 400],
    ['500', reply(500), 500],
    ['302', reply(302), 500],
    ['a failure', { kind: 'failed', reason: 'ECONNREFUSED' } as DispatchResult, 500],
    ['a non-JSON body', reply(200, '<html>'), 500],
    ['an array body', reply(200, '[]'), 500],
    ['a numeric userId', reply(200, '{"userId":5}'), 500],
    ['roles not strings', reply(200, '{"roles":[1]}'), 500],
    ['an invalid group', reply(200, '{"groups":[" "]}'), 500],
  ])('rejects %s with %i', (_name, result, status) => {
    expect(applyConnectReply(result, identity)).toMatchObject({ ok: false, status });
  });
});
