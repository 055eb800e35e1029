import { issueReconnectionToken } from '../../../../emulator/auth/reconnection-token';
import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { kindOfProtocol } from '../../../../emulator/client/client-kind';
import { Connection } from '../../../../emulator/registry/connection';
import { Registry, type EndOptions } from '../../../../emulator/registry/registry';
import { FakeTransport } from '../../../support/fake-transport';

const KEY = 'unit-key-0123456789-0123456789-0123';
const text = (s: string) => ({ dataType: 'text' as const, data: Buffer.from(s) });

function setup() {
  const ended: { id: string; end: EndOptions }[] = [];
  const registry = new Registry({ keys: [KEY], onEnded: (c, end) => ended.push({ id: c.connectionId, end }) });
  let n = 0;
  const connect = (protocol: string | null, userId: string | null = null, groups: string[] = [], limits?: { maxMessages: number; maxBytes: number }) => {
    const id = `c${++n}`;
    const kind = kindOfProtocol(protocol);
    const conn = new Connection(
      id,
      'Chat',
      userId,
      protocol,
      kind,
      permissionsFromRoles([]),
      { name: 'sendEvent' },
      kind === 'reliable' ? issueReconnectionToken(id, KEY) : undefined,
      limits,
    );
    const transport = new FakeTransport();
    conn.transport = transport;
    registry.add(conn, groups);
    return { conn, transport };
  };
  return { registry, connect, ended };
}

describe('Registry delivery', () => {
  it('encodes per receiver kind: raw for simple, envelope for JSON, sequenced for reliable', () => {
    const { registry, connect } = setup();
    const simple = connect(null);
    const json = connect('json.webpubsub.azure.v1');
    const reliable = connect('json.reliable.webpubsub.azure.v1');
    registry.sendToAll('CHAT', text('hi'));
    registry.sendToAll('chat', { dataType: 'binary', data: Buffer.from([1]) });
    expect(simple.transport.sent).toEqual([
      { data: Buffer.from('hi'), binary: false },
      { data: Buffer.from([1]), binary: true },
    ]);
    expect(json.transport.json()).toEqual([
      { type: 'message', from: 'server', dataType: 'text', data: 'hi' },
      { type: 'message', from: 'server', dataType: 'binary', data: 'AQ==' },
    ]);
    expect(reliable.transport.json().map((m) => m.sequenceId)).toEqual([1, 2]);
  });

  it('honours excluded ids and filters; a throwing filter selects nothing', () => {
    const { registry, connect } = setup();
    const a = connect(null, 'alice');
    const b = connect(null, 'bob');
    registry.sendToAll('chat', text('1'), { excluded: [a.conn.connectionId] });
    registry.sendToAll('chat', text('2'), { filter: (t) => t.userId === 'alice' });
    registry.sendToAll('chat', text('3'), {
      filter: () => {
        throw new Error('bad');
      },
    });
    expect(a.transport.sent.map((s) => s.data.toString())).toEqual(['2']);
    expect(b.transport.sent.map((s) => s.data.toString())).toEqual(['1']);
  });

  it('sends to users, connections and groups (REST group sends have no fromUserId)', () => {
    const { registry, connect } = setup();
    const a = connect('json.webpubsub.azure.v1', 'alice', ['g']);
    const b = connect('json.webpubsub.azure.v1', 'bob');
    registry.sendToUser('chat', 'bob', text('u'));
    registry.sendToConnection('chat', a.conn.connectionId, text('c'));
    registry.sendToGroup('chat', 'g', text('g'));
    registry.sendToGroup('chat', 'nobody', text('x'));
    expect(a.transport.json()).toEqual([
      { type: 'message', from: 'server', dataType: 'text', data: 'c' },
      { type: 'message', from: 'group', group: 'g', dataType: 'text', data: 'g' },
    ]);
    expect(b.transport.json()).toEqual([{ type: 'message', from: 'server', dataType: 'text', data: 'u' }]);
  });

  it('client group sends carry fromUserId and skip the sender with noEcho', () => {
    const { registry, connect } = setup();
    const a = connect('json.webpubsub.azure.v1', 'alice', ['g']);
    const b = connect('json.webpubsub.azure.v1', null, ['g']);
    registry.publishFromClient(a.conn, 'g', text('x'), true);
    registry.publishFromClient(b.conn, 'g', text('y'), false);
    expect(a.transport.json()).toEqual([{ type: 'message', from: 'group', group: 'g', dataType: 'text', data: 'y' }]);
    expect(b.transport.json()).toEqual([
      { type: 'message', from: 'group', group: 'g', fromUserId: 'alice', dataType: 'text', data: 'x' },
      { type: 'message', from: 'group', group: 'g', dataType: 'text', data: 'y' },
    ]);
  });

  it('closes a reliable receiver whose unacked buffer overflows with 1008, without disturbing the others', () => {
    const { registry, connect, ended } = setup();
    const small = connect('json.reliable.webpubsub.azure.v1', null, ['g'], { maxMessages: 1, maxBytes: 1 << 20 });
    const other = connect('json.reliable.webpubsub.azure.v1', null, ['g']);
    registry.sendToGroup('chat', 'g', text('1'));
    registry.sendToGroup('chat', 'g', text('2'));
    expect(small.transport.closedWith?.code).toBe(1008);
    expect(ended.map((e) => e.id)).toEqual([small.conn.connectionId]);
    expect(other.transport.json()).toHaveLength(2);
    expect(registry.connectionExists('chat', small.conn.connectionId)).toBe(false);
  });
});

describe('Registry membership (ServiceOps)', () => {
  it('tracks users and groups, case-insensitive hubs, case-sensitive groups', () => {
    const { registry, connect } = setup();
    const a = connect(null, 'alice');
    const b = connect(null, 'alice');
    expect(registry.userExists('CHAT', 'alice')).toBe(true);
    expect(registry.addUserToGroup('chat', 'G', 'alice')).toBe(true);
    expect(registry.addUserToGroup('chat', 'G', 'nobody')).toBe(false);
    expect(registry.groupExists('chat', 'G')).toBe(true);
    expect(registry.groupExists('chat', 'g')).toBe(false);
    expect(registry.listConnectionsInGroup('chat', 'G')).toEqual([
      { connectionId: a.conn.connectionId, userId: 'alice' },
      { connectionId: b.conn.connectionId, userId: 'alice' },
    ]);
    registry.removeConnectionFromGroup('chat', 'G', a.conn.connectionId);
    expect(registry.listConnectionsInGroup('chat', 'G').map((m) => m.connectionId)).toEqual([b.conn.connectionId]);
    registry.removeUserFromAllGroups('chat', 'alice');
    expect(registry.groupExists('chat', 'G')).toBe(false);
    expect(registry.addConnectionToGroup('chat', 'x', 'missing')).toBe(false);
  });

  it('adds and removes filtered connections to several groups at once', () => {
    const { registry, connect } = setup();
    const a = connect('json.webpubsub.azure.v1', 'alice');
    connect(null, 'bob');
    registry.addConnectionsToGroups('chat', ['x', 'y'], (t) => t.protocol !== null);
    expect(registry.listConnectionsInGroup('chat', 'y').map((m) => m.connectionId)).toEqual([a.conn.connectionId]);
    registry.removeConnectionsFromGroups('chat', ['x']);
    expect(registry.groupExists('chat', 'x')).toBe(false);
    expect(registry.groupExists('chat', 'y')).toBe(true);
  });

  it('grants, checks and revokes permissions; false for unknown connections', () => {
    const { registry, connect } = setup();
    const a = connect(null);
    const id = a.conn.connectionId;
    expect(registry.checkPermission('chat', 'sendToGroup', id, 'g')).toBe(false);
    expect(registry.grantPermission('chat', 'sendToGroup', id, 'g')).toBe(true);
    expect(registry.checkPermission('chat', 'sendToGroup', id, 'g')).toBe(true);
    registry.revokePermission('chat', 'sendToGroup', id, 'g');
    expect(registry.checkPermission('chat', 'sendToGroup', id, 'g')).toBe(false);
    expect(registry.grantPermission('chat', 'sendToGroup', 'missing')).toBe(false);
  });

  it('closes with system/disconnected for JSON clients, plain close for simple, except excluded', () => {
    const { registry, connect, ended } = setup();
    const json = connect('json.webpubsub.azure.v1', 'u');
    const simple = connect(null, 'u');
    const keep = connect(null, 'u');
    registry.closeUserConnections('chat', 'u', { reason: 'bye', excluded: [keep.conn.connectionId] });
    expect(json.transport.json()).toEqual([{ type: 'system', event: 'disconnected', message: 'bye' }]);
    expect(json.transport.closedWith).toEqual({ code: 1000, reason: 'bye' });
    expect(simple.transport.sent).toEqual([]);
    expect(simple.transport.closedWith).toEqual({ code: 1000, reason: 'bye' });
    expect(keep.transport.closedWith).toBeUndefined();
    expect(ended.map((e) => e.end.reason)).toEqual(['bye', 'bye']);
    registry.closeConnection('chat', json.conn.connectionId); // already gone: nothing happens
    expect(ended).toHaveLength(2);
  });
});

describe('Registry recovery', () => {
  it('re-attaches with a valid token, aborts the old transport and resends unacked frames', () => {
    const { registry, connect } = setup();
    const r = connect('json.reliable.webpubsub.azure.v1', 'u');
    registry.sendToAll('chat', text('a'));
    registry.sendToAll('chat', text('b'));
    r.conn.reliable!.ack(1);
    const next = new FakeTransport();
    expect(registry.recover('chat', r.conn.connectionId, r.conn.reconnectionToken!, next)).toBe(true);
    expect(r.transport.terminated).toBe(true);
    expect(next.json()).toEqual([
      { type: 'system', event: 'connected', userId: 'u', connectionId: r.conn.connectionId, reconnectionToken: r.conn.reconnectionToken },
      { sequenceId: 2, type: 'message', from: 'server', dataType: 'text', data: 'b' },
    ]);
  });

  it.each([
    ['an unknown id', (id: string, token: string) => ['missing', token]],
    ['a bad token', (id: string) => [id, 'forged']],
    ['a token of another connection', (id: string) => [id, issueReconnectionToken('other', KEY)]],
  ])('refuses %s', (_name, args) => {
    const { registry, connect } = setup();
    const r = connect('json.reliable.webpubsub.azure.v1');
    const [id, token] = args(r.conn.connectionId, r.conn.reconnectionToken!);
    expect(registry.recover('chat', id!, token!, new FakeTransport())).toBe(false);
  });

  it('refuses a connection that ended or is not reliable', () => {
    const { registry, connect } = setup();
    const r = connect('json.reliable.webpubsub.azure.v1');
    registry.closeConnection('chat', r.conn.connectionId);
    expect(registry.recover('chat', r.conn.connectionId, r.conn.reconnectionToken!, new FakeTransport())).toBe(false);
    const j = connect('json.webpubsub.azure.v1');
    expect(registry.recover('chat', j.conn.connectionId, issueReconnectionToken(j.conn.connectionId, KEY), new FakeTransport())).toBe(false);
  });
});
