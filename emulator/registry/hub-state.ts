import type { Connection } from './connection';

/** A connection joined or left a group; `removed` is true when it left because the connection ended. */
export type MembershipListener = (conn: Connection, group: string, change: 'joined' | 'left', removed: boolean) => void;

/** The live membership of one hub: connections, users and groups (in memory, insertion-ordered). */
export class HubState {
  /** Told of every actual change (a join of a member or a leave of a non-member is no change). */
  constructor(private readonly onMembership?: MembershipListener) {}

  readonly connections = new Map<string, Connection>();
  /**
   * userId → its connection, or a Set once the user holds several. Most users hold one connection; a Set
   * per user cost memory and allocation time in a connect storm.
   */
  private readonly users = new Map<string, Connection | Set<Connection>>();
  readonly groups = new Map<string, Set<Connection>>();

  add(conn: Connection): void {
    this.connections.set(conn.connectionId, conn);
    if (conn.userId === null) return;
    const held = this.users.get(conn.userId);
    if (held === undefined) this.users.set(conn.userId, conn);
    else if (held instanceof Set) held.add(conn);
    else if (held !== conn) this.users.set(conn.userId, new Set([held, conn]));
  }

  remove(conn: Connection): void {
    if (this.connections.get(conn.connectionId) !== conn) return;
    this.connections.delete(conn.connectionId);
    if (conn.userId !== null) {
      const held = this.users.get(conn.userId);
      if (held === conn) this.users.delete(conn.userId);
      else if (held instanceof Set) {
        held.delete(conn);
        if (held.size === 0) this.users.delete(conn.userId);
      }
    }
    const left = this.onMembership && conn.groups.size > 0 ? [...conn.groups] : undefined;
    for (const g of conn.groups) removeFrom(this.groups, g, conn);
    conn.clearGroups();
    if (left) for (const g of left) this.onMembership!(conn, g, 'left', true);
  }

  /** The user's connections now (a copy: callers may end or regroup them while iterating). */
  userConnections(userId: string): Connection[] {
    const held = this.users.get(userId);
    if (held === undefined) return [];
    return held instanceof Set ? [...held] : [held];
  }

  /** The count alone, without the array userConnections builds (checked twice per upgrade). */
  userConnectionCount(userId: string): number {
    const held = this.users.get(userId);
    return held === undefined ? 0 : held instanceof Set ? held.size : 1;
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  join(conn: Connection, group: string): void {
    if (!conn.addGroup(group)) return;
    addTo(this.groups, group, conn);
    this.onMembership?.(conn, group, 'joined', false);
  }

  leave(conn: Connection, group: string): void {
    if (!conn.removeGroup(group)) return;
    removeFrom(this.groups, group, conn);
    this.onMembership?.(conn, group, 'left', false);
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
