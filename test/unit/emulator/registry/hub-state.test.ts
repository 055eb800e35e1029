import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { Connection } from '../../../../emulator/registry/connection';
import { HubState } from '../../../../emulator/registry/hub-state';

let n = 0;
const conn = (userId: string | null) =>
  new Connection(`c${++n}`, 'chat', userId, 'json.webpubsub.azure.v1', 'json', permissionsFromRoles([]), { name: 'sendEvent' }, undefined);
const ids = (conns: readonly Connection[]) => conns.map((c) => c.connectionId).sort();

describe('HubState users (one connection kept as is, a Set from the second)', () => {
  it('indexes one, then several, connections of a user, and forgets the user with the last one', () => {
    const hub = new HubState();
    const [a, b, c] = [conn('ann'), conn('ann'), conn('ann')];
    hub.add(a);
    expect(ids(hub.userConnections('ann'))).toEqual([a.connectionId]);
    hub.add(b);
    hub.add(c);
    expect(ids(hub.userConnections('ann'))).toEqual(ids([a, b, c]));
    hub.remove(b);
    expect(ids(hub.userConnections('ann'))).toEqual(ids([a, c]));
    hub.remove(a);
    hub.remove(c);
    expect(hub.userConnections('ann')).toEqual([]);
    expect(hub.hasUser('ann')).toBe(false);
  });

  it('adding the same connection twice does not count it twice', () => {
    const hub = new HubState();
    const a = conn('bob');
    hub.add(a);
    hub.add(a);
    expect(hub.userConnections('bob')).toHaveLength(1);
    hub.remove(a);
    expect(hub.hasUser('bob')).toBe(false);
  });

  it('keeps users apart, and anonymous connections out of the index', () => {
    const hub = new HubState();
    const [a, b, anon] = [conn('ann'), conn('bob'), conn(null)];
    for (const x of [a, b, anon]) hub.add(x);
    expect(ids(hub.userConnections('ann'))).toEqual([a.connectionId]);
    expect(ids(hub.userConnections('bob'))).toEqual([b.connectionId]);
    expect(hub.connections.size).toBe(3);
    hub.remove(anon);
    expect(hub.connections.size).toBe(2);
  });

  it('returns a copy, so callers may end connections while iterating', () => {
    const hub = new HubState();
    const [a, b] = [conn('cat'), conn('cat')];
    hub.add(a);
    hub.add(b);
    const seen: string[] = [];
    for (const x of hub.userConnections('cat')) {
      seen.push(x.connectionId);
      hub.remove(x);
    }
    expect(seen.sort()).toEqual(ids([a, b]));
    expect(hub.hasUser('cat')).toBe(false);
  });

  it('a user is not a prefix or prototype key ("__proto__", "constructor")', () => {
    const hub = new HubState();
    expect(hub.hasUser('__proto__')).toBe(false);
    expect(hub.userConnections('constructor')).toEqual([]);
    const p = conn('__proto__');
    hub.add(p);
    expect(ids(hub.userConnections('__proto__'))).toEqual([p.connectionId]);
  });
});

describe('HubState groups (a connection gets its group set on its first join)', () => {
  it('joins and leaves in step on both sides', () => {
    const hub = new HubState();
    const a = conn('ann');
    hub.add(a);
    expect(a.groups.size).toBe(0);
    hub.join(a, 'g1');
    hub.join(a, 'g1');
    hub.join(a, 'g2');
    expect([...a.groups]).toEqual(['g1', 'g2']);
    expect(hub.groups.get('g1')?.has(a)).toBe(true);
    hub.leave(a, 'g1');
    hub.leave(a, 'g1');
    expect([...a.groups]).toEqual(['g2']);
    expect(hub.groups.has('g1')).toBe(false);
  });

  it('removing a connection empties its groups and drops groups left empty', () => {
    const hub = new HubState();
    const [a, b] = [conn('ann'), conn('bob')];
    hub.add(a);
    hub.add(b);
    hub.join(a, 'g');
    hub.join(b, 'g');
    hub.join(a, 'solo');
    hub.remove(a);
    expect(a.groups.size).toBe(0);
    expect(hub.groups.has('solo')).toBe(false);
    expect([...hub.groups.get('g')!]).toEqual([b]);
  });

  it('connections that never joined share no mutable state', () => {
    const [a, b] = [conn('ann'), conn('bob')];
    const hub = new HubState();
    hub.add(a);
    hub.add(b);
    hub.join(a, 'g');
    expect(b.groups.size).toBe(0);
    expect(b.groups.has('g')).toBe(false);
  });
});
