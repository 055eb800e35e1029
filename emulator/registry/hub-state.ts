import type { Connection } from './connection';

/** The live membership of one hub: connections, users and groups (in memory, insertion-ordered). */
export class HubState {
  readonly connections = new Map<string, Connection>();
  readonly users = new Map<string, Set<Connection>>();
  readonly groups = new Map<string, Set<Connection>>();

  add(conn: Connection): void {
    this.connections.set(conn.connectionId, conn);
    if (conn.userId !== null) addTo(this.users, conn.userId, conn);
  }

  remove(conn: Connection): void {
    if (this.connections.get(conn.connectionId) !== conn) return;
    this.connections.delete(conn.connectionId);
    if (conn.userId !== null) removeFrom(this.users, conn.userId, conn);
    for (const g of conn.groups) removeFrom(this.groups, g, conn);
    conn.groups.clear();
  }

  join(conn: Connection, group: string): void {
    if (conn.groups.has(group)) return;
    conn.groups.add(group);
    addTo(this.groups, group, conn);
  }

  leave(conn: Connection, group: string): void {
    if (!conn.groups.delete(group)) return;
    removeFrom(this.groups, group, conn);
  }
}

function addTo(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function removeFrom(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
