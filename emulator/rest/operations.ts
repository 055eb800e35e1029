import { NotFoundError } from '../core/service-errors';
import type { ServiceOps } from '../core/types';
import { parseBulkGroupsBody } from './bulk-groups-body';
import { generateClientToken } from './generate-token';
import { encodeContinuationToken, pageOf } from './pagination';
import type { RestOperation } from './rest-operation';
import { toOutboundMessage } from './send-payload';

/**
 * Runs a validated operation against ServiceOps and returns the exact success status the SDK expects
 * (docs/protocol/sdk-notes.md §1): sends 202, closes/removes/revoke 204, adds/grant/bulk 200, HEAD 200/404 without body,
 * list and generateToken 200 JSON. Failures are thrown as typed errors for error-detail.ts.
 */

export interface RestResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface OperationContext {
  readonly ops: ServiceOps;
  /** `http(s)://host[:port]` of the request, for nextLink and client token audiences. */
  readonly endpoint: string;
  readonly primaryKey: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

const ACCEPTED: RestResult = { status: 202 };
const NO_CONTENT: RestResult = { status: 204 };
const OK: RestResult = { status: 200 };
/**
 * HEAD operations answer "false" with a 404 that carries the service's error code (the body is never
 * sent for HEAD): Warning.Connection.NotExisted, Warning.User.NotExisted, Warning.Group.NotExisted
 * (recorded live answers in Azure/azure-sdk-assets, web-pubsub recordings).
 */
function exists(yes: boolean, missing: () => NotFoundError): RestResult {
  if (yes) return OK;
  throw missing();
}

export function executeOperation(op: RestOperation, ctx: OperationContext): RestResult {
  const { ops } = ctx;
  const message = () => toOutboundMessage(ctx.contentType, ctx.body);
  switch (op.name) {
    case 'health':
      return OK;
    case 'sendToAll':
      ops.sendToAll(op.hub, message(), { excluded: op.excluded, ...(op.filter ? { filter: op.filter } : {}) });
      return ACCEPTED;
    case 'sendToUser':
      ops.sendToUser(op.hub, op.userId, message(), op.filter ? { filter: op.filter } : {});
      return ACCEPTED;
    case 'sendToConnection':
      ops.sendToConnection(op.hub, op.connectionId, message());
      return ACCEPTED;
    case 'sendToGroup':
      ops.sendToGroup(op.hub, op.group, message(), { excluded: op.excluded, ...(op.filter ? { filter: op.filter } : {}) });
      return ACCEPTED;
    case 'connectionExists':
      return exists(ops.connectionExists(op.hub, op.connectionId), () => connectionNotFound(op.connectionId, 'Warning'));
    case 'userExists':
      return exists(ops.userExists(op.hub, op.userId), () => userNotFound(op.userId));
    case 'groupExists':
      return exists(ops.groupExists(op.hub, op.group), () => groupNotFound(op.group));
    case 'closeConnection':
      ops.closeConnection(op.hub, op.connectionId, op.reason);
      return NO_CONTENT;
    case 'closeAllConnections':
      ops.closeAllConnections(op.hub, closeOptions(op));
      return NO_CONTENT;
    case 'closeUserConnections':
      ops.closeUserConnections(op.hub, op.userId, closeOptions(op));
      return NO_CONTENT;
    case 'closeGroupConnections':
      ops.closeGroupConnections(op.hub, op.group, closeOptions(op));
      return NO_CONTENT;
    case 'addConnectionToGroup':
      if (!ops.addConnectionToGroup(op.hub, op.group, op.connectionId)) {
        throw connectionNotFound(op.connectionId, 'Error');
      }
      return OK;
    case 'removeConnectionFromGroup':
      // DELETE operations succeed even when nothing matches (docs/protocol/rest-api.md §2, issue #57).
      ops.removeConnectionFromGroup(op.hub, op.group, op.connectionId);
      return NO_CONTENT;
    case 'removeConnectionFromAllGroups':
      ops.removeConnectionFromAllGroups(op.hub, op.connectionId);
      return NO_CONTENT;
    case 'addUserToGroup':
      if (!ops.addUserToGroup(op.hub, op.group, op.userId)) {
        throw userNotFound(op.userId);
      }
      return OK;
    case 'removeUserFromGroup':
      ops.removeUserFromGroup(op.hub, op.group, op.userId);
      return NO_CONTENT;
    case 'removeUserFromAllGroups':
      ops.removeUserFromAllGroups(op.hub, op.userId);
      return NO_CONTENT;
    case 'addConnectionsToGroups': {
      const { groups, filter } = parseBulkGroupsBody(ctx.contentType, ctx.body);
      ops.addConnectionsToGroups(op.hub, groups, filter);
      return OK;
    }
    case 'removeConnectionsFromGroups': {
      const { groups, filter } = parseBulkGroupsBody(ctx.contentType, ctx.body);
      ops.removeConnectionsFromGroups(op.hub, groups, filter);
      return OK;
    }
    case 'listConnectionsInGroup': {
      const page = pageOf(ops.listConnectionsInGroup(op.hub, op.group), op);
      if (!page.next) return { status: 200, body: { value: page.value } };
      // docs/protocol/rest-api.md §5: nextLink is absolute and self-sufficient; the SDK calls it verbatim.
      const query = new URLSearchParams({ 'api-version': op.apiVersion, maxpagesize: String(op.maxPageSize) });
      if (page.next.top !== undefined) query.set('top', String(page.next.top));
      query.set('continuationToken', encodeContinuationToken(page.next.offset));
      const path = `/api/hubs/${encodeURIComponent(op.hub)}/groups/${encodeURIComponent(op.group)}/connections`;
      return { status: 200, body: { value: page.value, nextLink: `${ctx.endpoint}${path}?${query.toString()}` } };
    }
    case 'grantPermission':
      if (!ops.grantPermission(op.hub, op.permission, op.connectionId, op.targetName)) {
        throw connectionNotFound(op.connectionId, 'Info');
      }
      return OK;
    case 'revokePermission':
      ops.revokePermission(op.hub, op.permission, op.connectionId, op.targetName);
      return NO_CONTENT;
    case 'checkPermission':
      if (!ops.connectionExists(op.hub, op.connectionId)) throw connectionNotFound(op.connectionId, 'Info');
      // The service's answer for an existing connection without the permission is not recorded: a bare 404.
      return ops.checkPermission(op.hub, op.permission, op.connectionId, op.targetName) ? OK : { status: 404 };
    case 'generateToken':
      return { status: 200, body: { token: generateClientToken({ endpoint: ctx.endpoint, ...op }, ctx.primaryKey) } };
  }
}

function closeOptions(op: { excluded: readonly string[]; reason?: string }): { excluded: readonly string[]; reason?: string } {
  return op.reason === undefined ? { excluded: op.excluded } : { excluded: op.excluded, reason: op.reason };
}

/**
 * The service's not-found answers (recorded live in Azure/azure-sdk-assets, python and js web-pubsub
 * recordings): the code's level depends on the operation (a PUT to a group says Error, a grant says
 * Info, an existence check says Warning); the message names the entity in backticks.
 */
function connectionNotFound(connectionId: string, level: 'Error' | 'Warning' | 'Info'): NotFoundError {
  return new NotFoundError(`Connection \`${connectionId}\` is not found.`, `${level}.Connection.NotExisted`, { target: 'Connection' });
}

function userNotFound(userId: string): NotFoundError {
  return new NotFoundError(`User \`${userId}\` is not found.`, 'Warning.User.NotExisted', { target: 'User' });
}

function groupNotFound(group: string): NotFoundError {
  return new NotFoundError(`Group \`${group}\` is not found.`, 'Warning.Group.NotExisted', { target: 'Group' });
}
