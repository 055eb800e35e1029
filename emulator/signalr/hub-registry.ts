/**
 * Who is connected to which hub, and the group and user memberships the REST data plane manages
 * (docs/protocol/signalr.md §4). Hub names compare case-insensitively; group and user names exactly.
 * A user added to a group stays in it (new connections of that user included) until removed.
 */

export interface HubClient {
  readonly connectionId: string;
  readonly hub: string;
  readonly userId?: string;
}

class HubState<C extends HubClient> {
  readonly connections = new Map<string, C>();
  /** Connection ids by group. */
  readonly groupConnections = new Map<string, Set<string>>();
  /** User ids by group. */
  readonly groupUsers = new Map<string, Set<string>>();

  isEmpty(): boolean {
    return this.connections.size === 0 && this.groupConnections.size === 0 && this.groupUsers.size === 0;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): boolean {
  const set = map.get(key);
  if (!set || !set.delete(value)) return false;
  if (set.size === 0) map.delete(key);
  return true;
}

export class HubRegistry<C extends HubClient> {
  private readonly hubs = new Map<string, HubState<C>>();

  private state(hub: string, create: true): HubState<C>;
  private state(hub: string, create: false): HubState<C> | undefined;
  private state(hub: string, create: boolean): HubState<C> | undefined {
    const key = hub.toLowerCase();
    let s = this.hubs.get(key);
    if (!s && create) this.hubs.set(key, (s = new HubState<C>()));
    return s;
  }

  private prune(hub: string): void {
    const s = this.state(hub, false);
    if (s?.isEmpty()) this.hubs.delete(hub.toLowerCase());
  }

  add(client: C): void {
    this.state(client.hub, true).connections.set(client.connectionId, client);
  }

  remove(client: C): void {
    const s = this.state(client.hub, false);
    if (!s || s.connections.get(client.connectionId) !== client) return;
    s.connections.delete(client.connectionId);
    for (const group of [...s.groupConnections.keys()]) removeFrom(s.groupConnections, group, client.connectionId);
    this.prune(client.hub);
  }

  connection(hub: string, connectionId: string): C | undefined {
    return this.state(hub, false)?.connections.get(connectionId);
  }

  all(hub: string): C[] {
    return [...(this.state(hub, false)?.connections.values() ?? [])];
  }

  ofUser(hub: string, userId: string): C[] {
    return this.all(hub).filter((c) => c.userId === userId);
  }

  ofGroup(hub: string, group: string): C[] {
    const s = this.state(hub, false);
    if (!s) return [];
    const ids = s.groupConnections.get(group) ?? new Set<string>();
    const users = s.groupUsers.get(group) ?? new Set<string>();
    return [...s.connections.values()].filter((c) => ids.has(c.connectionId) || (c.userId !== undefined && users.has(c.userId)));
  }

  /** False when the connection is not in the hub (REST answers 404). */
  addToGroup(hub: string, group: string, connectionId: string): boolean {
    const s = this.state(hub, false);
    if (!s?.connections.has(connectionId)) return false;
    addTo(s.groupConnections, group, connectionId);
    return true;
  }

  removeFromGroup(hub: string, group: string, connectionId: string): void {
    const s = this.state(hub, false);
    if (s) removeFrom(s.groupConnections, group, connectionId);
  }

  removeFromAllGroups(hub: string, connectionId: string): void {
    const s = this.state(hub, false);
    if (s) for (const group of [...s.groupConnections.keys()]) removeFrom(s.groupConnections, group, connectionId);
  }

  addUserToGroup(hub: string, group: string, userId: string): void {
    addTo(this.state(hub, true).groupUsers, group, userId);
  }

  removeUserFromGroup(hub: string, group: string, userId: string): void {
    const s = this.state(hub, false);
    if (!s) return;
    removeFrom(s.groupUsers, group, userId);
    // Connections added one by one belong to the user too: the service removes the user's connections.
    for (const c of this.ofUser(hub, userId)) removeFrom(s.groupConnections, group, c.connectionId);
    this.prune(hub);
  }

  removeUserFromAllGroups(hub: string, userId: string): void {
    const s = this.state(hub, false);
    if (!s) return;
    for (const group of [...s.groupUsers.keys()]) this.removeUserFromGroup(hub, group, userId);
    for (const c of this.ofUser(hub, userId)) this.removeFromAllGroups(hub, c.connectionId);
  }

  isUserInGroup(hub: string, group: string, userId: string): boolean {
    const s = this.state(hub, false);
    if (!s) return false;
    if (s.groupUsers.get(group)?.has(userId)) return true;
    return this.ofUser(hub, userId).some((c) => s.groupConnections.get(group)?.has(c.connectionId));
  }
}
