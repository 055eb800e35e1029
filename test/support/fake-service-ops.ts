import type { CloseOptions, ConnectionFilter, GroupMember, OutboundMessage, Permission, SendOptions, ServiceOps } from '../../emulator/core/types';

/**
 * An in-memory ServiceOps for REST tests: a small but realistic registry (connections with userId,
 * groups, protocol and permissions, hubs case-insensitive) that records every call, so tests can assert
 * both the effect and what reached the service.
 */

export interface FakeConnection {
  readonly connectionId: string;
  readonly userId: string | null;
  readonly protocol: string | null;
  readonly groups: Set<string>;
  /** `permission` or `permission:group`. */
  readonly permissions: Set<string>;
}

export interface Delivery {
  readonly hub: string;
  readonly connectionId: string;
  readonly message: OutboundMessage;
}

export interface RecordedCall {
  readonly method: keyof ServiceOps;
  readonly args: readonly unknown[];
}

export class FakeServiceOps implements ServiceOps {
  readonly calls: RecordedCall[] = [];
  readonly deliveries: Delivery[] = [];
  readonly closed: { hub: string; connectionId: string; reason?: string }[] = [];
  private readonly hubs = new Map<string, Map<string, FakeConnection>>();

  connect(hub: string, connectionId: string, init: { userId?: string; protocol?: string; groups?: string[] } = {}): FakeConnection {
    const connection: FakeConnection = {
      connectionId,
      userId: init.userId ?? null,
      protocol: init.protocol ?? null,
      groups: new Set(init.groups ?? []),
      permissions: new Set(),
    };
    this.hub(hub).set(connectionId, connection);
    return connection;
  }

  connection(hub: string, connectionId: string): FakeConnection | undefined {
    return this.hub(hub).get(connectionId);
  }

  lastCall(method: keyof ServiceOps): RecordedCall | undefined {
    return [...this.calls].reverse().find((c) => c.method === method);
  }

  sendToAll(hub: string, message: OutboundMessage, options?: SendOptions): void {
    this.record('sendToAll', hub, message, options);
    this.deliver(hub, this.all(hub), message, options);
  }
  sendToUser(hub: string, userId: string, message: OutboundMessage, options?: SendOptions): void {
    this.record('sendToUser', hub, userId, message, options);
    this.deliver(
      hub,
      this.all(hub).filter((c) => c.userId === userId),
      message,
      options,
    );
  }
  sendToConnection(hub: string, connectionId: string, message: OutboundMessage): void {
    this.record('sendToConnection', hub, connectionId, message);
    this.deliver(
      hub,
      this.all(hub).filter((c) => c.connectionId === connectionId),
      message,
    );
  }
  sendToGroup(hub: string, group: string, message: OutboundMessage, options?: SendOptions): void {
    this.record('sendToGroup', hub, group, message, options);
    this.deliver(
      hub,
      this.all(hub).filter((c) => c.groups.has(group)),
      message,
      options,
    );
  }

  connectionExists(hub: string, connectionId: string): boolean {
    this.record('connectionExists', hub, connectionId);
    return this.hub(hub).has(connectionId);
  }
  userExists(hub: string, userId: string): boolean {
    this.record('userExists', hub, userId);
    return this.all(hub).some((c) => c.userId === userId);
  }
  groupExists(hub: string, group: string): boolean {
    this.record('groupExists', hub, group);
    return this.all(hub).some((c) => c.groups.has(group));
  }

  closeConnection(hub: string, connectionId: string, reason?: string): void {
    this.record('closeConnection', hub, connectionId, reason);
    this.close(
      hub,
      this.all(hub).filter((c) => c.connectionId === connectionId),
      reason === undefined ? {} : { reason },
    );
  }
  closeAllConnections(hub: string, options?: CloseOptions): void {
    this.record('closeAllConnections', hub, options);
    this.close(hub, this.all(hub), options);
  }
  closeUserConnections(hub: string, userId: string, options?: CloseOptions): void {
    this.record('closeUserConnections', hub, userId, options);
    this.close(
      hub,
      this.all(hub).filter((c) => c.userId === userId),
      options,
    );
  }
  closeGroupConnections(hub: string, group: string, options?: CloseOptions): void {
    this.record('closeGroupConnections', hub, group, options);
    this.close(
      hub,
      this.all(hub).filter((c) => c.groups.has(group)),
      options,
    );
  }

  addConnectionToGroup(hub: string, group: string, connectionId: string): boolean {
    this.record('addConnectionToGroup', hub, group, connectionId);
    const c = this.hub(hub).get(connectionId);
    c?.groups.add(group);
    return c !== undefined;
  }
  removeConnectionFromGroup(hub: string, group: string, connectionId: string): void {
    this.record('removeConnectionFromGroup', hub, group, connectionId);
    this.hub(hub).get(connectionId)?.groups.delete(group);
  }
  removeConnectionFromAllGroups(hub: string, connectionId: string): void {
    this.record('removeConnectionFromAllGroups', hub, connectionId);
    this.hub(hub).get(connectionId)?.groups.clear();
  }
  addUserToGroup(hub: string, group: string, userId: string): boolean {
    this.record('addUserToGroup', hub, group, userId);
    const mine = this.all(hub).filter((c) => c.userId === userId);
    mine.forEach((c) => c.groups.add(group));
    return mine.length > 0;
  }
  removeUserFromGroup(hub: string, group: string, userId: string): void {
    this.record('removeUserFromGroup', hub, group, userId);
    this.all(hub)
      .filter((c) => c.userId === userId)
      .forEach((c) => c.groups.delete(group));
  }
  removeUserFromAllGroups(hub: string, userId: string): void {
    this.record('removeUserFromAllGroups', hub, userId);
    this.all(hub)
      .filter((c) => c.userId === userId)
      .forEach((c) => c.groups.clear());
  }
  addConnectionsToGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void {
    this.record('addConnectionsToGroups', hub, groups, filter);
    this.select(hub, filter).forEach((c) => groups.forEach((g) => c.groups.add(g)));
  }
  removeConnectionsFromGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void {
    this.record('removeConnectionsFromGroups', hub, groups, filter);
    this.select(hub, filter).forEach((c) => groups.forEach((g) => c.groups.delete(g)));
  }
  listConnectionsInGroup(hub: string, group: string): readonly GroupMember[] {
    this.record('listConnectionsInGroup', hub, group);
    return this.all(hub)
      .filter((c) => c.groups.has(group))
      .map((c) => ({ connectionId: c.connectionId, userId: c.userId }));
  }

  grantPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean {
    this.record('grantPermission', hub, permission, connectionId, targetName);
    const c = this.hub(hub).get(connectionId);
    c?.permissions.add(permissionKey(permission, targetName));
    return c !== undefined;
  }
  revokePermission(hub: string, permission: Permission, connectionId: string, targetName?: string): void {
    this.record('revokePermission', hub, permission, connectionId, targetName);
    this.hub(hub).get(connectionId)?.permissions.delete(permissionKey(permission, targetName));
  }
  checkPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean {
    this.record('checkPermission', hub, permission, connectionId, targetName);
    const c = this.hub(hub).get(connectionId);
    if (!c) return false;
    return c.permissions.has(permission) || (targetName !== undefined && c.permissions.has(permissionKey(permission, targetName)));
  }

  private hub(name: string): Map<string, FakeConnection> {
    // Hub names are case-insensitive (types.ts, docs/protocol/auth.md §6).
    const key = name.toLowerCase();
    let hub = this.hubs.get(key);
    if (!hub) this.hubs.set(key, (hub = new Map()));
    return hub;
  }
  private all(hub: string): FakeConnection[] {
    return [...this.hub(hub).values()];
  }
  private select(hub: string, filter?: ConnectionFilter): FakeConnection[] {
    return this.all(hub).filter((c) => !filter || filter(c));
  }
  private deliver(hub: string, targets: FakeConnection[], message: OutboundMessage, options?: SendOptions): void {
    for (const c of targets) {
      if (options?.excluded?.includes(c.connectionId)) continue;
      if (options?.filter && !options.filter(c)) continue;
      this.deliveries.push({ hub, connectionId: c.connectionId, message });
    }
  }
  private close(hub: string, targets: FakeConnection[], options?: CloseOptions): void {
    for (const c of targets) {
      if (options?.excluded?.includes(c.connectionId)) continue;
      this.hub(hub).delete(c.connectionId);
      this.closed.push({ hub, connectionId: c.connectionId, ...(options?.reason === undefined ? {} : { reason: options.reason }) });
    }
  }
  private record(method: keyof ServiceOps, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }
}

function permissionKey(permission: Permission, targetName?: string): string {
  return targetName === undefined ? permission : `${permission}:${targetName}`;
}
