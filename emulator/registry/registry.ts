import type { CloseOptions, ConnectionFilter, GroupMember, OutboundMessage, Permission, SendOptions, ServiceOps } from '../core/types';
import { grant, hasPermission, revoke } from '../auth/permissions';
import { verifyReconnectionToken } from '../auth/reconnection-token';
import { encodeConnected, encodeDisconnected, type MessageSource, withSequenceId } from '../client/json-protocol';
import type { Transport } from '../client/transport';
import { hubKey } from '../core/name-rules';
import { BUFFER_LIMIT_CLOSE_CODE, BUFFER_LIMIT_CLOSE_REASON } from '../limits';
import type { BufferBudget, BufferPart } from './buffer-budget';
import type { Connection } from './connection';
import { EncodedMessage } from './encoded-message';
import { GroupStates } from './group-state';
import { HubState, type MembershipListener } from './hub-state';
import { RecoveryWindow } from './recovery-window';
import { NORMAL_CLOSURE, POLICY_VIOLATION } from '../client/close-codes';

/** How a connection ends for good. */
export interface EndOptions {
  /** WebSocket close code when a socket is attached. */
  readonly code: number;
  /** Close reason; also the upstream `disconnected` reason. */
  readonly reason: string;
  /** Send `system/disconnected` first to JSON clients (docs/protocol/client-protocols.md §3.2: server/REST closes). */
  readonly notifyClient?: boolean;
  /** MQTT connections: the `mqtt` object of the `disconnected` event (emulator/mqtt/upstream-properties.ts). */
  readonly mqtt?: unknown;
  /**
   * Cut the socket right after the close frame when the client has unread data: the memory is released
   * at once rather than when a client that does not read finally sees the close frame.
   */
  readonly abort?: boolean;
}

export interface RegistryOptions {
  readonly keys: readonly string[];
  /** Called once per connection that ended for good (for the `disconnected` event and the log). */
  readonly onEnded: (conn: Connection, options: EndOptions) => void;
  /** Called when a reliable connection is re-attached. */
  readonly onRecovered?: (conn: Connection) => void;
  /** Called for every join and leave, including the groups a connection leaves when it ends (group presence). */
  readonly onGroupMembership?: MembershipListener;
  /** How long a dropped reliable connection stays recoverable (docs/protocol/client-protocols.md §4.2). Default 30 000. */
  readonly recoveryWindowMs?: number;
  /** The global bound on buffered bytes (docs/emulator-limits.md); none when absent. */
  readonly budget?: BufferBudget<Connection>;
}

export const DEFAULT_RECOVERY_WINDOW_MS = 30_000;

/**
 * The live service state: every hub's connections, users and groups. Implements ServiceOps for the REST
 * data plane and delivers messages, encoding each once per receiver kind.
 */
export class Registry implements ServiceOps {
  private readonly hubs = new Map<string, HubState>();
  private readonly states = new Map<string, GroupStates>();
  private readonly membershipChanged: MembershipListener;
  private readonly recovery: RecoveryWindow;

  constructor(private readonly options: RegistryOptions) {
    this.membershipChanged = (conn, group, change, removed) => {
      if (change === 'left') this.states.get(hubKey(conn.hub))?.left(conn, group);
      options.onGroupMembership?.(conn, group, change, removed);
    };
    this.recovery = new RecoveryWindow(options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS, (conn) =>
      this.end(conn, { code: POLICY_VIOLATION, reason: 'the connection was not recovered in time' }),
    );
  }

  /** How long a dropped reliable connection stays recoverable. */
  get recoveryWindowMs(): number {
    return this.recovery.windowMs;
  }

  /**
   * The hub's state, created when missing: only for adding a connection. Anything a client can name
   * without being admitted (a recovery attempt, a REST call) must use a lookup instead, or an
   * unauthenticated caller could create one entry per hub name it invents.
   */
  hub(name: string): HubState {
    const key = hubKey(name);
    let state = this.hubs.get(key);
    if (!state) this.hubs.set(key, (state = new HubState(this.membershipChanged)));
    return state;
  }

  /** The hub's group state (docs/protocol/client-sdk-features.md §4). */
  groupStates(hub: string): GroupStates {
    const key = hubKey(hub);
    let states = this.states.get(key);
    if (!states) this.states.set(key, (states = new GroupStates()));
    return states;
  }

  private existing(name: string): HubState | undefined {
    return this.hubs.get(hubKey(name));
  }

  /** A live or recoverable connection, looked up without creating anything. */
  findConnection(hub: string, connectionId: string): Connection | undefined {
    return this.existing(hub)?.connections.get(connectionId);
  }

  private connection(hub: string, connectionId: string): Connection | undefined {
    return this.findConnection(hub, connectionId);
  }

  /** The user's open or recoverable connections in the hub (for the per-user connection limit). */
  userConnectionCount(hub: string, userId: string): number {
    return this.existing(hub)?.userConnectionCount(userId) ?? 0;
  }

  /**
   * Records what a connection now holds in one buffer and, when the global budget is exceeded, closes
   * the connections holding the most until it fits again (docs/emulator-limits.md).
   */
  account(conn: Connection, part: BufferPart, bytes: number): void {
    const budget = this.options.budget;
    if (budget === undefined || conn.ended) return;
    budget.set(conn, part, bytes);
    while (budget.overLimit) {
      const victim = budget.largest();
      if (victim === undefined) return;
      this.end(victim, { code: BUFFER_LIMIT_CLOSE_CODE, reason: BUFFER_LIMIT_CLOSE_REASON, abort: true });
    }
  }

  /** Hubs that hold at least one connection (empty hubs are dropped). */
  get hubCount(): number {
    return this.hubs.size;
  }

  /** Every live connection (for shutdown). */
  *allConnections(): Iterable<Connection> {
    for (const h of this.hubs.values()) yield* h.connections.values();
  }

  add(conn: Connection, groups: readonly string[]): void {
    const h = this.hub(conn.hub);
    h.add(conn);
    for (const g of groups) h.join(conn, g);
  }

  join(conn: Connection, group: string): void {
    if (!conn.ended) this.hub(conn.hub).join(conn, group);
  }

  leave(conn: Connection, group: string): void {
    this.existing(conn.hub)?.leave(conn, group);
  }

  // ---- delivery -------------------------------------------------------------------------------

  /** Delivers to each receiver in its own encoding; `except` is the sender with noEcho. */
  deliver(receivers: Iterable<Connection>, encoded: EncodedMessage, options?: SendOptions, except?: Connection): void {
    const excluded = options?.excluded && options.excluded.length > 0 ? new Set(options.excluded) : undefined;
    const filter = options?.filter;
    // Deleting the current element while iterating a Map/Set is safe in JS, so an overflowing reliable
    // receiver may be removed mid-loop without a snapshot copy per send.
    for (const conn of receivers) {
      if (conn === except || conn.ended) continue;
      if (excluded?.has(conn.connectionId)) continue;
      if (filter && !safeFilter(filter, conn)) continue;
      this.deliverOne(conn, encoded);
    }
  }

  deliverOne(conn: Connection, encoded: EncodedMessage): void {
    switch (conn.kind) {
      case 'simple':
        conn.transport?.send(encoded.message.data, encoded.simpleIsBinary);
        return;
      case 'json':
        conn.transport?.send(encoded.envelopeBytes, false);
        return;
      case 'reliable': {
        const buffer = conn.reliable!;
        const frame = withSequenceId(encoded.envelope, buffer.nextSequenceId);
        // docs/protocol/client-protocols.md §4.1: over 1000 messages / 16 MB unacked → close 1008, unrecoverable.
        if (!buffer.push(frame)) {
          this.end(conn, { code: POLICY_VIOLATION, reason: 'the reliable message buffer is full (1000 messages or 16 MB unacknowledged)' });
          return;
        }
        this.account(conn, 'replay', buffer.unackedBytes);
        conn.transport?.send(frame, false);
        return;
      }
      case 'mqtt':
        conn.mqtt?.deliver(encoded);
    }
  }

  /** A client's group send (docs/protocol/client-protocols.md §3.2): `fromUserId` is the sender's user id. */
  publishFromClient(sender: Connection, group: string, message: OutboundMessage, noEcho: boolean, qos: 0 | 1 = 1, expiresAt?: number): void {
    const members = this.existing(sender.hub)?.groups.get(group);
    if (!members) return;
    this.deliver(
      members,
      new EncodedMessage(message, { from: 'group', group, fromUserId: sender.userId }, undefined, qos, expiresAt),
      undefined,
      noEcho ? sender : undefined,
    );
  }

  /**
   * A group-stream fragment or end marker (docs/protocol/client-sdk-features.md §3), already encoded as
   * the JSON envelope. Simple receivers get the fragment's bytes; an end marker has none for them.
   */
  publishStream(sender: Connection, group: string, envelope: string, message: OutboundMessage | undefined, noEcho: boolean): void {
    const members = this.existing(sender.hub)?.groups.get(group);
    if (!members) return;
    const encoded = new EncodedMessage(message ?? EMPTY_TEXT, { from: 'group', group, fromUserId: sender.userId }, envelope);
    for (const conn of members) {
      if ((noEcho && conn === sender) || conn.ended || (message === undefined && conn.kind === 'simple')) continue;
      this.deliverOne(conn, encoded);
    }
  }

  /** A reply to one connection (`from: "server"`). */
  sendToOne(conn: Connection, message: OutboundMessage): void {
    this.deliverOne(conn, new EncodedMessage(message, { from: 'server' }));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Ends a connection for good: removes it, closes its socket and reports it once. */
  end(conn: Connection, options: EndOptions): void {
    if (conn.ended) return;
    conn.ended = true;
    this.options.budget?.forget(conn);
    // Unrecoverable from now on: release the replay frames at once, not when the socket is finally gone
    // (until then its listeners keep the connection reachable).
    conn.reliable?.clear();
    this.recovery.cancel(conn);
    const h = this.existing(conn.hub);
    if (h) {
      h.remove(conn);
      this.states.get(hubKey(conn.hub))?.ended(conn);
      // A hub with no connection has no users, groups or group state either: keeping it would only leak memory.
      if (h.connections.size === 0) {
        this.hubs.delete(hubKey(conn.hub));
        this.states.delete(hubKey(conn.hub));
      }
    }
    const transport = conn.transport;
    conn.transport = null;
    if (transport) {
      if (options.notifyClient && (conn.kind === 'json' || conn.kind === 'reliable')) transport.send(encodeDisconnected(options.reason), false);
      transport.close(options.code, options.reason);
      if (options.abort && transport.bufferedAmount > 0) transport.terminate();
    }
    this.options.onEnded(conn, options);
  }

  /**
   * docs/protocol/client-protocols.md §4.2: the socket of a reliable connection dropped without a deliberate close.
   * The connection keeps its state and stays recoverable for the window; after it, it ends with 1008.
   */
  dropped(conn: Connection): void {
    if (conn.ended) return;
    conn.transport = null;
    this.recovery.open(conn);
  }

  /** True while a dropped connection waits to be recovered. */
  awaitingRecovery(conn: Connection): boolean {
    return this.recovery.isOpen(conn);
  }

  /**
   * docs/protocol/client-protocols.md §4.2: re-attaches a reliable connection to a new transport. False when the
   * connection cannot be recovered (unknown, ended, not reliable, bad token): the caller closes with 1008.
   */
  recover(hub: string, connectionId: string, reconnectionToken: string, transport: Transport): boolean {
    const conn = this.connection(hub, connectionId);
    if (!conn || conn.ended || conn.kind !== 'reliable' || !verifyReconnectionToken(reconnectionToken, connectionId, this.options.keys)) return false;
    this.recovery.cancel(conn);
    const old = conn.transport;
    conn.transport = transport;
    // docs/protocol/client-protocols.md §4.2 step 6: a newer transport aborts a half-open old one.
    old?.terminate();
    transport.send(encodeConnected(conn.connectionId, conn.userId, conn.reconnectionToken), false);
    for (const frame of conn.reliable!.unacked()) transport.send(frame, false);
    this.options.onRecovered?.(conn);
    return true;
  }

  // ---- ServiceOps -----------------------------------------------------------------------------

  sendToAll(hub: string, message: OutboundMessage, options?: SendOptions): void {
    const h = this.existing(hub);
    if (h) this.deliver(h.connections.values(), new EncodedMessage(message, SERVER), options);
  }

  sendToUser(hub: string, userId: string, message: OutboundMessage, options?: SendOptions): void {
    const conns = this.existing(hub)?.userConnections(userId);
    if (conns?.length) this.deliver(conns, new EncodedMessage(message, SERVER), options);
  }

  sendToConnection(hub: string, connectionId: string, message: OutboundMessage): void {
    const conn = this.connection(hub, connectionId);
    if (conn) this.deliverOne(conn, new EncodedMessage(message, SERVER));
  }

  sendToGroup(hub: string, group: string, message: OutboundMessage, options?: SendOptions): void {
    const members = this.existing(hub)?.groups.get(group);
    if (members) this.deliver(members, new EncodedMessage(message, { from: 'group', group }), options);
  }

  connectionExists(hub: string, connectionId: string): boolean {
    return this.connection(hub, connectionId) !== undefined;
  }

  userExists(hub: string, userId: string): boolean {
    return this.existing(hub)?.hasUser(userId) ?? false;
  }

  groupExists(hub: string, group: string): boolean {
    return (this.existing(hub)?.groups.get(group)?.size ?? 0) > 0;
  }

  closeConnection(hub: string, connectionId: string, reason?: string): void {
    const conn = this.connection(hub, connectionId);
    if (conn) this.end(conn, { code: NORMAL_CLOSURE, reason: reason ?? '', notifyClient: true });
  }

  closeAllConnections(hub: string, options?: CloseOptions): void {
    const h = this.existing(hub);
    if (h) this.closeMany(h.connections.values(), options);
  }

  closeUserConnections(hub: string, userId: string, options?: CloseOptions): void {
    const conns = this.existing(hub)?.userConnections(userId);
    if (conns?.length) this.closeMany(conns, options);
  }

  closeGroupConnections(hub: string, group: string, options?: CloseOptions): void {
    const conns = this.existing(hub)?.groups.get(group);
    if (conns) this.closeMany(conns, options);
  }

  private closeMany(conns: Iterable<Connection>, options?: CloseOptions): void {
    const excluded = new Set(options?.excluded ?? []);
    for (const conn of [...conns]) {
      if (!excluded.has(conn.connectionId)) this.end(conn, { code: NORMAL_CLOSURE, reason: options?.reason ?? '', notifyClient: true });
    }
  }

  addConnectionToGroup(hub: string, group: string, connectionId: string): boolean {
    const conn = this.connection(hub, connectionId);
    if (!conn) return false;
    this.hub(hub).join(conn, group);
    return true;
  }

  removeConnectionFromGroup(hub: string, group: string, connectionId: string): void {
    const conn = this.connection(hub, connectionId);
    if (conn) this.hub(hub).leave(conn, group);
  }

  removeConnectionFromAllGroups(hub: string, connectionId: string): void {
    const conn = this.connection(hub, connectionId);
    if (conn) for (const g of [...conn.groups]) this.hub(hub).leave(conn, g);
  }

  addUserToGroup(hub: string, group: string, userId: string): boolean {
    const conns = this.existing(hub)?.userConnections(userId) ?? [];
    if (conns.length === 0) return false;
    for (const conn of conns) this.hub(hub).join(conn, group);
    return true;
  }

  removeUserFromGroup(hub: string, group: string, userId: string): void {
    const h = this.existing(hub);
    for (const conn of h?.userConnections(userId) ?? []) h!.leave(conn, group);
  }

  removeUserFromAllGroups(hub: string, userId: string): void {
    const h = this.existing(hub);
    for (const conn of h?.userConnections(userId) ?? []) for (const g of [...conn.groups]) h!.leave(conn, g);
  }

  addConnectionsToGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void {
    const h = this.existing(hub);
    if (!h) return;
    for (const conn of h.connections.values()) {
      if (!filter || safeFilter(filter, conn)) for (const g of groups) h.join(conn, g);
    }
  }

  removeConnectionsFromGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void {
    const h = this.existing(hub);
    if (!h) return;
    for (const conn of h.connections.values()) {
      if (!filter || safeFilter(filter, conn)) for (const g of groups) h.leave(conn, g);
    }
  }

  listConnectionsInGroup(hub: string, group: string): readonly GroupMember[] {
    const members = this.existing(hub)?.groups.get(group);
    return members ? [...members].map((c) => ({ connectionId: c.connectionId, userId: c.userId })) : [];
  }

  grantPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean {
    const conn = this.connection(hub, connectionId);
    if (!conn) return false;
    grant(conn.permissions, permission, targetName);
    return true;
  }

  revokePermission(hub: string, permission: Permission, connectionId: string, targetName?: string): void {
    const conn = this.connection(hub, connectionId);
    if (conn) revoke(conn.permissions, permission, targetName);
  }

  checkPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean {
    const conn = this.connection(hub, connectionId);
    return conn !== undefined && hasPermission(conn.permissions, permission, targetName);
  }
}

const SERVER: MessageSource = { from: 'server' };
const EMPTY_TEXT: OutboundMessage = { dataType: 'text', data: Buffer.alloc(0) };

/** A filter that throws selects nothing rather than failing the whole send. */
function safeFilter(filter: ConnectionFilter, conn: Connection): boolean {
  try {
    return filter(conn);
  } catch {
    return false;
  }
}
