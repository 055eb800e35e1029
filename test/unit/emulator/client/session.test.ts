import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { ClientSession } from '../../../../emulator/client/session';
import { defaultHubSettings } from '../../../../emulator/config';
import { Connection } from '../../../../emulator/registry/connection';
import { Registry } from '../../../../emulator/registry/registry';
import { EventDispatcher } from '../../../../emulator/upstream/event-dispatcher';
import { FakeTransport } from '../../../support/fake-transport';

/** session.ts driven through a fake Transport; the hub has no handlers, so nothing leaves the process. */
function setup(protocol: string | null, roles: string[] = [], mode: Connection['mode'] = { name: 'sendEvent' }) {
  const ended: { code: number; reason: string }[] = [];
  const registry = new Registry({ keys: ['k'], onEnded: (_c, end) => ended.push({ code: end.code, reason: end.reason }) });
  const dispatcher = new EventDispatcher({ keys: ['k'], origin: 'localhost', timeoutMs: 1000, retryDelaysMs: [], validationTimeoutMs: 1000, log: () => {} });
  const kind = protocol === null ? 'simple' : protocol.includes('reliable') ? 'reliable' : 'json';
  const conn = new Connection('c1', 'chat', 'u', protocol, kind, permissionsFromRoles(roles), mode, undefined);
  const transport = new FakeTransport();
  conn.transport = transport;
  registry.add(conn, []);
  const session = new ClientSession(conn, { registry, dispatcher, hubSettings: defaultHubSettings, log: () => {} });
  const send = (m: unknown) => session.receive(Buffer.from(typeof m === 'string' ? m : JSON.stringify(m)), false);
  return { registry, conn, transport, session, send, ended };
}

/** Lets queued promise callbacks run until `done()` holds (no I/O happens here; this is bounded). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise<void>((r) => setImmediate(r));
}

describe('ClientSession (JSON subprotocol)', () => {
  it('answers ping, acks a permitted join once and Duplicate afterwards', () => {
    const { send, transport, conn } = setup('json.webpubsub.azure.v1', ['webpubsub.joinLeaveGroup']);
    send({ type: 'ping' });
    send({ type: 'joinGroup', group: 'g', ackId: 1 });
    send({ type: 'leaveGroup', group: 'g', ackId: 1 });
    expect(transport.json()).toEqual([
      { type: 'pong' },
      { type: 'ack', ackId: 1, success: true },
      { type: 'ack', ackId: 1, success: false, error: { name: 'Duplicate', message: 'ackId 1 was already processed' } },
    ]);
    expect([...conn.groups]).toEqual(['g']);
  });

  it('answers Forbidden without the role and stays silent without an ackId', () => {
    const { send, transport, conn } = setup('json.webpubsub.azure.v1');
    send({ type: 'sendToGroup', group: 'g', data: 1, ackId: 2 });
    send({ type: 'joinGroup', group: 'g' });
    expect(transport.json()).toEqual([{ type: 'ack', ackId: 2, success: false, error: { name: 'Forbidden', message: 'no permission to send to group "g"' } }]);
    expect(conn.groups.size).toBe(0);
  });

  it.each([
    ['an unparsable frame', '{oops', 1007],
    ['a message without type', '{"group":"g"}', 1007],
  ])('closes for %s (%s) with %i', (_name, frame, code) => {
    const { send, ended, transport } = setup('json.webpubsub.azure.v1');
    send(frame);
    expect(ended).toEqual([{ code, reason: expect.stringContaining('invalid message') }]);
    expect(transport.closedWith?.code).toBe(code);
  });

  it('closes for a binary frame with 1003', () => {
    const { session, ended } = setup('json.webpubsub.azure.v1');
    session.receive(Buffer.from([1]), true);
    expect(ended[0]!.code).toBe(1003);
  });

  it('acks InternalServerError for an event nobody handles, and keeps the connection', async () => {
    const { send, transport, ended } = setup('json.reliable.webpubsub.azure.v1');
    send({ type: 'event', event: 'e', data: 1, ackId: 3 });
    send({ type: 'ping' });
    await until(() => transport.sent.length >= 2);
    expect(transport.json()).toEqual([
      { type: 'ack', ackId: 3, success: false, error: { name: 'InternalServerError', message: 'no event handler is configured for this event' } },
      { type: 'pong' },
    ]);
    expect(ended).toEqual([]);
  });

  it('releases reliable frames on sequenceAck', () => {
    const { send, registry, conn } = setup('json.reliable.webpubsub.azure.v1');
    registry.sendToConnection('chat', 'c1', { dataType: 'text', data: Buffer.from('a') });
    registry.sendToConnection('chat', 'c1', { dataType: 'text', data: Buffer.from('b') });
    send({ type: 'sequenceAck', sequenceId: 1 });
    expect(conn.reliable!.unackedCount).toBe(1);
  });
});

describe('ClientSession (simple client)', () => {
  it('closes with 1011 when the message event has no handler', async () => {
    const { session, ended } = setup(null);
    session.receive(Buffer.from('hi'), false);
    await until(() => ended.length > 0);
    expect(ended).toEqual([{ code: 1011, reason: 'no event handler is configured for this event' }]);
  });

  it('publishes in sendToGroup mode only with the permission', () => {
    const denied = setup(null, [], { name: 'sendToGroup', group: 'g', noEcho: false });
    denied.registry.join(denied.conn, 'g');
    denied.session.receive(Buffer.from('x'), false);
    expect(denied.transport.sent).toEqual([]);
    const allowed = setup(null, ['webpubsub.sendToGroup.g'], { name: 'sendToGroup', group: 'g', noEcho: false });
    allowed.registry.join(allowed.conn, 'g');
    allowed.session.receive(Buffer.from([7]), true);
    expect(allowed.transport.sent).toEqual([{ data: Buffer.from([7]), binary: true }]);
  });
});
