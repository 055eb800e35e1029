import {
  ROLE_SIGNALR_APP_SERVER,
  ROLE_SIGNALR_REST_API_OWNER,
  ROLE_SIGNALR_REST_API_READER,
  ROLE_SIGNALR_SERVICE_OWNER,
  type RoleAssignment,
} from '../entra/entra-settings';
import type { RestOperation } from './rest-routes';

/**
 * Azure RBAC for SignalR Service's data plane (docs/protocol/signalr.md §6.3): each call needs one data
 * action, and each built-in role grants a set of them. Pure.
 * - SignalR Service Owner: every data action.
 * - SignalR App Server: the temporary access key (auth/accessKey) and client connection writes.
 * - SignalR REST API Owner: client tokens (auth/clientToken) and every REST operation.
 * - SignalR REST API Reader: the existence checks only.
 */

export type SignalRDataAction = 'auth/accessKey' | 'auth/clientToken' | 'rest/read' | 'rest/write' | 'clientConnection/write';

const GRANTS: Readonly<Record<string, readonly SignalRDataAction[]>> = {
  [ROLE_SIGNALR_SERVICE_OWNER]: ['auth/accessKey', 'auth/clientToken', 'rest/read', 'rest/write', 'clientConnection/write'],
  [ROLE_SIGNALR_APP_SERVER]: ['auth/accessKey', 'clientConnection/write'],
  [ROLE_SIGNALR_REST_API_OWNER]: ['auth/clientToken', 'rest/read', 'rest/write', 'clientConnection/write'],
  [ROLE_SIGNALR_REST_API_READER]: ['rest/read'],
};

/**
 * The data action each REST operation (rest-routes.ts) needs; a new operation must name its own. None
 * needs auth/accessKey: the temporary key has its own route, `GET /api/auth/accessKey`, which asks for
 * that action directly.
 */
const OPERATION_ACTIONS: Readonly<Record<RestOperation['op'], SignalRDataAction>> = {
  generateToken: 'auth/clientToken',
  closeConnection: 'clientConnection/write',
  connectionExists: 'rest/read',
  groupExists: 'rest/read',
  userExists: 'rest/read',
  userInGroup: 'rest/read',
  sendToAll: 'rest/write',
  sendToUser: 'rest/write',
  sendToGroup: 'rest/write',
  sendToConnection: 'rest/write',
  addConnectionToGroup: 'rest/write',
  removeConnectionFromGroup: 'rest/write',
  removeConnectionFromAllGroups: 'rest/write',
  addUserToGroup: 'rest/write',
  removeUserFromGroup: 'rest/write',
  removeUserFromAllGroups: 'rest/write',
  closeAll: 'rest/write',
  closeGroup: 'rest/write',
  closeUser: 'rest/write',
};

/** The data action a REST operation needs. */
export function dataActionOf(operation: RestOperation['op']): SignalRDataAction {
  return OPERATION_ACTIONS[operation];
}

/** The SignalR roles assigned to a principal (Web PubSub roles do not count here). */
export function signalRRolesOf(principalId: string, assignments: readonly RoleAssignment[]): string[] {
  return assignments.filter((a) => a.principalId === principalId && a.role in GRANTS).map((a) => a.role);
}

/** Undefined when allowed; otherwise why not (for a 403 body). */
export function refuseSignalRAction(principalId: string, action: SignalRDataAction, assignments: readonly RoleAssignment[]): string | undefined {
  const roles = signalRRolesOf(principalId, assignments);
  if (roles.some((r) => GRANTS[r]!.includes(action))) return undefined;
  return roles.length === 0
    ? `The principal ${principalId} has no SignalR Service data-plane role on this resource; assign it "${ROLE_SIGNALR_SERVICE_OWNER}".`
    : `The principal ${principalId} holds ${roles.map((r) => `"${r}"`).join(', ')}, which does not allow ${action}; assign it "${ROLE_SIGNALR_SERVICE_OWNER}".`;
}
