import type { ConnectionFilter, Permission } from '../core/types';

/**
 * The 25 data-plane operations of docs/protocol/rest-api.md §2 with typed, validated parameters, as the router
 * produces them. Types only.
 */

export interface SendParams {
  readonly hub: string;
  /** docs/protocol/rest-api.md §3: 0 = never expires, 1–300. Validated; delivery is immediate, so it is not enforced. */
  readonly messageTtlSeconds: number;
}

export interface FilteredSendParams extends SendParams {
  readonly excluded: readonly string[];
  readonly filter?: ConnectionFilter;
}

export interface CloseParams {
  readonly hub: string;
  readonly excluded: readonly string[];
  readonly reason?: string;
}

export interface PermissionParams {
  readonly hub: string;
  readonly permission: Permission;
  readonly connectionId: string;
  /** Absent = all groups (docs/protocol/auth.md §6). */
  readonly targetName?: string;
}

export type RestOperation =
  | { readonly name: 'health' }
  | ({ readonly name: 'sendToAll' } & FilteredSendParams)
  | ({ readonly name: 'sendToUser'; readonly userId: string; readonly filter?: ConnectionFilter } & SendParams)
  | ({ readonly name: 'sendToConnection'; readonly connectionId: string } & SendParams)
  | ({ readonly name: 'sendToGroup'; readonly group: string } & FilteredSendParams)
  | { readonly name: 'connectionExists'; readonly hub: string; readonly connectionId: string }
  | { readonly name: 'closeConnection'; readonly hub: string; readonly connectionId: string; readonly reason?: string }
  | ({ readonly name: 'closeAllConnections' } & CloseParams)
  | ({ readonly name: 'closeUserConnections'; readonly userId: string } & CloseParams)
  | ({ readonly name: 'closeGroupConnections'; readonly group: string } & CloseParams)
  | { readonly name: 'groupExists'; readonly hub: string; readonly group: string }
  | { readonly name: 'userExists'; readonly hub: string; readonly userId: string }
  | { readonly name: 'addConnectionToGroup' | 'removeConnectionFromGroup'; readonly hub: string; readonly group: string; readonly connectionId: string }
  | { readonly name: 'removeConnectionFromAllGroups'; readonly hub: string; readonly connectionId: string }
  | { readonly name: 'addUserToGroup' | 'removeUserFromGroup'; readonly hub: string; readonly group: string; readonly userId: string }
  | { readonly name: 'removeUserFromAllGroups'; readonly hub: string; readonly userId: string }
  /** The groups and filter come in the JSON body (docs/protocol/rest-api.md §2 #19/#20), parsed by bulk-groups-body.ts. */
  | { readonly name: 'addConnectionsToGroups' | 'removeConnectionsFromGroups'; readonly hub: string }
  | {
      readonly name: 'listConnectionsInGroup';
      readonly hub: string;
      readonly group: string;
      /** Echoed into nextLink. */
      readonly apiVersion: string;
      readonly maxPageSize: number;
      /** Total number of members still wanted across pages; absent = all. */
      readonly top?: number;
      /** Decoded from continuationToken. */
      readonly offset: number;
    }
  | ({ readonly name: 'grantPermission' | 'revokePermission' | 'checkPermission' } & PermissionParams)
  | {
      readonly name: 'generateToken';
      readonly hub: string;
      readonly userId?: string;
      readonly roles: readonly string[];
      readonly groups: readonly string[];
      readonly minutesToExpire: number;
    };

export type OperationName = RestOperation['name'];
