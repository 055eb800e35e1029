import { verifySignature } from '../../../../shared/auth/upstream-signature';
import { buildCloudEventHeaders, connectedEvent, connectEvent, disconnectedEvent, userEvent } from '../../../../emulator/upstream/cloud-event-request';

const connection = { hub: 'chat', connectionId: 'c1', userId: 'alice', subprotocol: 'json.webpubsub.azure.v1', state: 'st' };

describe('buildCloudEventHeaders', () => {
  it('sends exactly the docs/protocol/cloud-events.md §3 header set', () => {
    const headers = buildCloudEventHeaders({
      event: connectedEvent(),
      connection,
      ceId: '1',
      time: new Date('2021-01-01T00:00:00.123Z'),
      keys: ['k1', 'k2'],
      origin: 'localhost',
    });
    expect(headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'WebHook-Request-Origin': 'localhost',
      'ce-specversion': '1.0',
      'ce-awpsversion': '1.0',
      'ce-type': 'azure.webpubsub.sys.connected',
      'ce-source': '/hubs/chat/client/c1',
      'ce-id': '1',
      'ce-time': '2021-01-01T00:00:00Z',
      'ce-hub': 'chat',
      'ce-connectionId': 'c1',
      'ce-eventName': 'connected',
      'ce-userId': 'alice',
      'ce-subprotocol': 'json.webpubsub.azure.v1',
      'ce-connectionState': 'st',
      'ce-signature': expect.stringMatching(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/),
    });
    expect(verifySignature('c1', headers['ce-signature'], ['k2'])).toBe(true);
  });

  it('omits ce-userId, ce-subprotocol and ce-connectionState when empty', () => {
    const headers = buildCloudEventHeaders({
      event: userEvent('message', 'text', Buffer.from('x')),
      connection: { ...connection, userId: null, subprotocol: null, state: '' },
      ceId: '2',
      time: new Date(),
      keys: ['k'],
      origin: 'localhost',
    });
    expect(headers).not.toHaveProperty('ce-userId');
    expect(headers).not.toHaveProperty('ce-subprotocol');
    expect(headers).not.toHaveProperty('ce-connectionState');
    expect(headers['ce-type']).toBe('azure.webpubsub.user.message');
    expect(headers['Content-Type']).toBe('text/plain');
  });
});

describe('event bodies', () => {
  it.each([
    ['json', 'application/json'],
    ['text', 'text/plain'],
    ['binary', 'application/octet-stream'],
  ] as const)('user event with %s data is %s', (dataType, contentType) => {
    expect(userEvent('e', dataType, Buffer.from('1'))).toEqual({ kind: 'user', name: 'e', contentType, body: Buffer.from('1') });
  });

  it('builds connect, connected and disconnected bodies', () => {
    const connect = JSON.parse(connectEvent({ claims: { sub: ['a'] }, query: { q: ['1'] }, headers: { H: ['v'] }, subprotocols: ['p'] }).body.toString());
    expect(connect).toEqual({ claims: { sub: ['a'] }, query: { q: ['1'] }, headers: { H: ['v'] }, subprotocols: ['p'], clientCertificates: [] });
    expect(connectedEvent().body.toString()).toBe('{}');
    expect(JSON.parse(disconnectedEvent('').body.toString())).toEqual({ reason: '' });
  });
});
