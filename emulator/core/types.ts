/**
 * The contract between the emulator's two halves:
 * - the registry + client sessions (emulator/registry, emulator/client), which implement ServiceOps;
 * - the REST data plane (emulator/rest), which parses and authorises requests and calls ServiceOps.
 *
 * Hub names are case-insensitive (docs/protocol/auth.md §6): implementations normalise them; callers pass them as received.
 */

/** The three data types REST can send (docs/protocol/rest-api.md §3). `protobuf` only exists between protobuf clients. */
export type DataType = 'json' | 'text' | 'binary';

/**
 * A message to deliver. `data` holds the exact bytes: for `json` the UTF-8 JSON text as sent,
 * for `text` the UTF-8 text, for `binary` the raw bytes. Receivers encode per client kind
 * (docs/protocol/client-protocols.md §2 and §3.3): simple clients get a text frame (json/text) or a binary frame,
 * JSON clients an envelope whose `data` is the parsed JSON, the string, or base64.
 */
export interface OutboundMessage {
  readonly dataType: DataType;
  readonly data: Buffer;
}

/** What an OData filter sees of a connection (docs/protocol/rest-api.md §4). */
export interface FilterTarget {
  readonly connectionId: string;
  readonly userId: string | null;
  readonly groups: ReadonlySet<string>;
  /** The selected subprotocol, or null for simple clients. */
  readonly protocol: string | null;
}

/** A compiled OData filter; returns true when the connection is selected. */
export type ConnectionFilter = (target: FilterTarget) => boolean;

export interface SendOptions {
  /** Connection ids that must not receive the message. */
  readonly excluded?: readonly string[];
  readonly filter?: ConnectionFilter;
}

export interface CloseOptions {
  /** Connection ids to keep open. */
  readonly excluded?: readonly string[];
  /** Delivered to JSON clients in `system/disconnected` and to the upstream `disconnected` event. */
  readonly reason?: string;
}

export type Permission = 'joinLeaveGroup' | 'sendToGroup';

export interface GroupMember {
  readonly connectionId: string;
  readonly userId: string | null;
}

/** Everything the REST data plane needs from the live service state. All calls are synchronous. */
export interface ServiceOps {
  sendToAll(hub: string, message: OutboundMessage, options?: SendOptions): void;
  sendToUser(hub: string, userId: string, message: OutboundMessage, options?: SendOptions): void;
  sendToConnection(hub: string, connectionId: string, message: OutboundMessage): void;
  /** A REST group send: JSON receivers get `from: "group"` with no `fromUserId`. */
  sendToGroup(hub: string, group: string, message: OutboundMessage, options?: SendOptions): void;

  connectionExists(hub: string, connectionId: string): boolean;
  userExists(hub: string, userId: string): boolean;
  /** True when the group has at least one connection. */
  groupExists(hub: string, group: string): boolean;

  closeConnection(hub: string, connectionId: string, reason?: string): void;
  closeAllConnections(hub: string, options?: CloseOptions): void;
  closeUserConnections(hub: string, userId: string, options?: CloseOptions): void;
  closeGroupConnections(hub: string, group: string, options?: CloseOptions): void;

  /** False when the connection does not exist (REST answers 404). */
  addConnectionToGroup(hub: string, group: string, connectionId: string): boolean;
  removeConnectionFromGroup(hub: string, group: string, connectionId: string): void;
  removeConnectionFromAllGroups(hub: string, connectionId: string): void;
  /** False when the user has no connection (REST answers 404). */
  addUserToGroup(hub: string, group: string, userId: string): boolean;
  removeUserFromGroup(hub: string, group: string, userId: string): void;
  removeUserFromAllGroups(hub: string, userId: string): void;
  /** Adds every connection of the hub selected by the filter (all when absent) to every group. */
  addConnectionsToGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void;
  removeConnectionsFromGroups(hub: string, groups: readonly string[], filter?: ConnectionFilter): void;
  /** Members in a stable order (so continuation tokens can be offsets). */
  listConnectionsInGroup(hub: string, group: string): readonly GroupMember[];

  /** `targetName` absent = all groups. False when the connection does not exist (REST answers 404). */
  grantPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean;
  revokePermission(hub: string, permission: Permission, connectionId: string, targetName?: string): void;
  checkPermission(hub: string, permission: Permission, connectionId: string, targetName?: string): boolean;
}
