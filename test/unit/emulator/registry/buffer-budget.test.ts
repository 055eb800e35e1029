import { issueReconnectionToken } from '../../../../emulator/auth/reconnection-token';
import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { Connection } from '../../../../emulator/registry/connection';
import { Registry } from '../../../../emulator/registry/registry';
import { FakeTransport } from '../../../support/fake-transport';
import { BufferBudget } from '../../../../emulator/registry/buffer-budget';

describe('BufferBudget', () => {
  it('keeps a running total over parts and holders; set is absolute, not a delta', () => {
    const b = new BufferBudget<string>(100);
    b.set('a', 'replay', 30);
    b.set('a', 'outbound', 20);
    b.set('b', 'inbound', 10);
    expect(b.totalBytes).toBe(60);
    b.set('a', 'replay', 5);
    expect(b.bytesOf('a')).toBe(25);
    expect(b.totalBytes).toBe(35);
    b.forget('a');
    expect(b.totalBytes).toBe(10);
    expect(b.bytesOf('a')).toBe(0);
  });

  it('is over the limit only beyond maxBytes, and names the largest holder', () => {
    const b = new BufferBudget<string>(100);
    b.set('a', 'replay', 40);
    b.set('b', 'outbound', 60);
    expect(b.overLimit).toBe(false);
    b.set('c', 'replay', 1);
    expect(b.overLimit).toBe(true);
    expect(b.largest()).toBe('b');
    b.forget('b');
    expect(b.largest()).toBe('a');
  });

  it('drops holders that hold nothing', () => {
    const b = new BufferBudget<string>(10);
    b.set('a', 'replay', 0);
    expect(b.largest()).toBeUndefined();
    b.set('a', 'replay', 3);
    b.set('a', 'replay', 0);
    expect(b.largest()).toBeUndefined();
    expect(b.totalBytes).toBe(0);
  });
});

describe('Registry with a global buffer budget', () => {
  const KEY = 'unit-key-0123456789-0123456789-0123';
  function setup(maxBytes: number) {
    const budget = new BufferBudget<Connection>(maxBytes);
    const ended: { id: string; code: number; reason: string }[] = [];
    const registry = new Registry({ keys: [KEY], budget, onEnded: (c, e) => ended.push({ id: c.connectionId, code: e.code, reason: e.reason }) });
    let n = 0;
    const reliable = () => {
      const id = `r${++n}`;
      const conn = new Connection(
        id,
        'chat',
        `u${n}`,
        'json.reliable.webpubsub.azure.v1',
        'reliable',
        permissionsFromRoles([]),
        { name: 'sendEvent' },
        issueReconnectionToken(id, KEY),
      );
      const transport = new FakeTransport();
      conn.transport = transport;
      registry.add(conn, ['g']);
      return { conn, transport };
    };
    return { budget, registry, ended, reliable };
  }
  const kb = (n: number) => ({ dataType: 'text' as const, data: Buffer.from('x'.repeat(n * 1024)) });

  it('closes the connection holding the most with 1008 and a named reason when the total would exceed the limit', () => {
    const { budget, registry, ended, reliable } = setup(50 * 1024);
    const a = reliable();
    registry.sendToConnection('chat', a.conn.connectionId, kb(20));
    const b = reliable();
    registry.sendToAll('chat', kb(10)); // a: ~30 KB, b: ~10 KB
    expect(ended).toEqual([]);
    registry.sendToAll('chat', kb(10)); // would be ~60 KB: a goes
    expect(ended.map((e) => e.id)).toEqual([a.conn.connectionId]);
    expect(ended[0]).toMatchObject({ code: 1008, reason: expect.stringMatching(/buffer limit/) });
    expect(a.transport.closedWith?.code).toBe(1008);
    expect(b.conn.ended).toBe(false);
    expect(budget.totalBytes).toBeLessThanOrEqual(50 * 1024);
    expect(budget.bytesOf(b.conn)).toBeGreaterThan(20 * 1024);
  });

  it('releases replay bytes on sequenceAck accounting and on end', () => {
    const { budget, registry, reliable } = setup(1024 * 1024);
    const a = reliable();
    registry.sendToAll('chat', kb(4));
    expect(budget.totalBytes).toBeGreaterThan(4 * 1024);
    a.conn.reliable!.ack(1);
    registry.account(a.conn, 'replay', a.conn.reliable!.unackedBytes);
    expect(budget.totalBytes).toBe(0);
    registry.sendToAll('chat', kb(4));
    registry.closeConnection('chat', a.conn.connectionId);
    expect(budget.totalBytes).toBe(0);
    // An ended connection is unrecoverable: its frames are released at once.
    expect(a.conn.reliable!.unackedCount).toBe(0);
  });
});
