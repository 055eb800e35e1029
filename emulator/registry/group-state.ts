import { encodeGroupStateSnapshot, encodeGroupStateUpdate, type GroupStateItem, type GroupStateValue } from '../client/group-state-frames';
import type { Connection } from './connection';

/**
 * Group state of one hub (docs/protocol/client-sdk-features.md §4): each member connection may attach a
 * small string dictionary to a group it is in; subscribers get a snapshot when they subscribe and an
 * update whenever an entry changes. An entry goes away when its connection clears it, leaves the group
 * or ends — subscribers see that as an item without `state`.
 *
 * Service semantics the sources do not pin down (emulator choices, listed in docs/features.md): a
 * connection must be in the group to set state there; a subscription does not need membership and
 * lasts until unsubscribe or the end of the connection; nothing survives the last member leaving.
 */
export class GroupStates {
  private readonly groups = new Map<string, { items: Map<string, GroupStateItem>; subscribers: Set<Connection> }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Sets (or with `state` undefined clears) the connection's entry and pushes the update. */
  set(conn: Connection, group: string, state: GroupStateValue | undefined): void {
    const g = this.group(group);
    const item: GroupStateItem = {
      connectionId: conn.connectionId,
      ...(conn.userId !== null ? { userId: conn.userId } : {}),
      ...(state !== undefined ? { state } : {}),
      updatedAt: this.now(),
    };
    if (state === undefined) {
      if (!g.items.delete(conn.connectionId)) return this.prune(group);
    } else {
      g.items.set(conn.connectionId, item);
    }
    this.push(group, item);
  }

  /** Subscribes and returns the snapshot frame to send after the ack. */
  subscribe(conn: Connection, group: string): string {
    const g = this.group(group);
    g.subscribers.add(conn);
    return encodeGroupStateSnapshot(group, [...g.items.values()]);
  }

  unsubscribe(conn: Connection, group: string): void {
    this.groups.get(group)?.subscribers.delete(conn);
    this.prune(group);
  }

  /** The connection left the group (or ended): its entry goes, with an update to subscribers. */
  left(conn: Connection, group: string): void {
    const g = this.groups.get(group);
    if (!g) return;
    if (g.items.delete(conn.connectionId)) {
      this.push(group, { connectionId: conn.connectionId, ...(conn.userId !== null ? { userId: conn.userId } : {}), updatedAt: this.now() });
    }
    this.prune(group);
  }

  /** The connection ended: its subscriptions go too (its entries went with its groups). */
  ended(conn: Connection): void {
    for (const [name, g] of this.groups) {
      if (g.subscribers.delete(conn)) this.prune(name);
    }
  }

  /** For tests and diagnostics. */
  entries(group: string): readonly GroupStateItem[] {
    return [...(this.groups.get(group)?.items.values() ?? [])];
  }

  private push(group: string, item: GroupStateItem): void {
    const g = this.groups.get(group);
    if (!g || g.subscribers.size === 0) return;
    const frame = encodeGroupStateUpdate(group, [item]);
    for (const s of g.subscribers) if (!s.ended) s.transport?.send(frame, false);
  }

  private group(name: string) {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = { items: new Map(), subscribers: new Set() }));
    return g;
  }

  private prune(name: string): void {
    const g = this.groups.get(name);
    if (g && g.items.size === 0 && g.subscribers.size === 0) this.groups.delete(name);
  }
}
