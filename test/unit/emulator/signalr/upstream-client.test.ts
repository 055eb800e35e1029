import { expandUrlTemplate, upstreamHeaders, upstreamSignature, userClaimsHeader } from '../../../../emulator/signalr/upstream-client';

describe('upstream requests', () => {
  it('signs the connection id with every key, in order', () => {
    expect(upstreamSignature(['k1', 'k2'], 'c')).toMatch(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/);
    expect(upstreamSignature(['k1'], 'c')).not.toBe(upstreamSignature(['k1'], 'd'));
  });

  it('with local auth disabled: no X-ASRS-Signature; a managed-identity upstream gets the bearer token', () => {
    const e = {
      hub: 'chat',
      category: 'connections' as const,
      event: 'connected',
      connectionId: 'c',
      claims: {},
      clientQuery: '',
      contentType: 'application/json' as const,
      body: new Uint8Array(),
    };
    expect(upstreamHeaders([], e)).not.toHaveProperty('X-ASRS-Signature');
    expect(upstreamHeaders([], e, 'tok')).toMatchObject({ Authorization: 'Bearer tok' });
    expect(upstreamHeaders(['k'], e, 'tok')).toMatchObject({ Authorization: 'Bearer tok', 'X-ASRS-Signature': upstreamSignature(['k'], 'c') });
  });

  it('expands {hub}, {category} and {event} URL-encoded', () => {
    expect(expandUrlTemplate('http://h/{hub}/api/{category}/{Event}', { hub: 'chat', category: 'messages', event: 'a b/c' })).toBe(
      'http://h/chat/api/messages/a%20b%2Fc',
    );
  });

  it('sends the documented headers and the claims without token plumbing', () => {
    const h = upstreamHeaders(['k'], {
      hub: 'chat',
      category: 'messages',
      event: 'send',
      connectionId: 'c',
      userId: 'u',
      claims: { nameid: 'u', exp: 1, aud: 'x', role: ['a', 'b'] },
      clientQuery: 'hub=chat&x=1',
      contentType: 'application/json',
      body: new Uint8Array(),
    });
    expect(Object.keys(h).sort()).toEqual([
      'Content-Type',
      'X-ASRS-Category',
      'X-ASRS-Client-Query',
      'X-ASRS-Connection-Id',
      'X-ASRS-Event',
      'X-ASRS-Hub',
      'X-ASRS-Signature',
      'X-ASRS-User-Claims',
      'X-ASRS-User-Id',
    ]);
    expect(JSON.parse(userClaimsHeader({ nameid: 'u', exp: 1, role: ['a', 'b'] }))).toEqual([
      { Type: 'nameid', Value: 'u' },
      { Type: 'role', Value: 'a' },
      { Type: 'role', Value: 'b' },
    ]);
  });
});
