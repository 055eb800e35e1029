/**
 * What hub code may ask of the service, as a small interface over one hub's `WebPubSubServiceClient`
 * so tests can pass a fake. The implementation is `service-client.ts`.
 */
export type DataType = 'json' | 'text' | 'binary';

export interface SendOptions {
  /** `json` (default): any JSON value; `text`: a string; `binary`: bytes (docs/protocol/rest-api.md §3). */
  dataType?: DataType;
  /** Connection ids that must not receive the message. */
  excluded?: readonly string[];
}

export interface GroupMember {
  readonly connectionId: string;
  readonly userId?: string;
}

export interface HubService {
  readonly hub: string;
  sendToAll(data: unknown, options?: SendOptions): Promise<void>;
  sendToGroup(group: string, data: unknown, options?: SendOptions): Promise<void>;
  sendToUser(userId: string, data: unknown, options?: SendOptions): Promise<void>;
  sendToConnection(connectionId: string, data: unknown, options?: Omit<SendOptions, 'excluded'>): Promise<void>;
  addConnectionToGroup(group: string, connectionId: string): Promise<void>;
  removeConnectionFromGroup(group: string, connectionId: string): Promise<void>;
  addUserToGroup(group: string, userId: string): Promise<void>;
  removeUserFromGroup(group: string, userId: string): Promise<void>;
  closeConnection(connectionId: string, reason?: string): Promise<void>;
  /** Whether the connection is open (for MQTT: whether the session with this client id exists). */
  connectionExists(connectionId: string): Promise<boolean>;
  /** Members of a group, every page of them (or at most `top`). */
  listGroupConnections(group: string, top?: number): Promise<GroupMember[]>;
}
