import { encodeConnectionState } from './connection-state-codec';
import { InternalServerError } from '../http/errors';
import type { ConnectRequest, ConnectResponse, HttpReply, UserEventResponse } from './event-types';
import { isValidGroupName, isValidUserId } from '../validation/names';
import { isRoleAllowed, isValidRole } from '../auth/roles';

/**
 * Maps hub results to the exact upstream replies (docs/protocol/cloud-events.md §6–§8). Pure. A result the
 * service could not use (bad user id, role outside the hub's allowedRoles, unknown subprotocol) is a
 * bug in the hub, so it raises InternalServerError (500) rather than sending something wrong.
 */

export const STATE_HEADER = 'ce-connectionState';

/**
 * `state` is the whole merged state when a handler changed it, else undefined (header omitted).
 * A role is granted when `allowedRoles` covers it or `allowConnectRole` accepts it for this request.
 */
export function toConnectReply(
  request: ConnectRequest,
  result: ConnectResponse | void,
  allowedRoles: readonly string[] | undefined,
  state?: Readonly<Record<string, unknown>>,
  allowConnectRole?: (role: string, request: ConnectRequest) => boolean,
): HttpReply {
  const headers = stateHeaders(state);
  if (result === undefined || result === null) return { status: 204, headers };
  if (typeof result !== 'object') throw new InternalServerError('connect handler returned something other than a ConnectResponse');
  const body: ConnectResponse = {};
  if (result.userId !== undefined) {
    if (!isValidUserId(result.userId)) throw new InternalServerError('connect handler returned an invalid userId');
    body.userId = result.userId;
  }
  // Shapes are checked before use: a hub bug (null, a string…) is a typed 500, never a TypeError.
  const groups: unknown = result.groups;
  if (groups !== undefined && groups !== null) {
    if (!Array.isArray(groups) || !groups.every(isValidGroupName)) throw new InternalServerError('connect handler returned an invalid group name');
    if (groups.length > 0) body.groups = [...new Set(groups)];
  }
  const roles: unknown = result.roles;
  if (roles !== undefined && roles !== null) {
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && isValidRole(r))) {
      throw new InternalServerError('connect handler returned an invalid role');
    }
    // Hub roles policy: a hub grants only what it declared; fail closed rather than filter silently.
    const denied = (roles as string[]).filter((r) => !isRoleAllowed(r, allowedRoles ?? []) && !(allowConnectRole?.(r, request) ?? false));
    if (denied.length > 0)
      throw new InternalServerError(`connect handler granted roles outside the hub's allowedRoles: ${denied.join(', ')}`, 'RoleNotAllowed');
    if (roles.length > 0) body.roles = [...new Set(roles as string[])];
  }
  const subprotocol: unknown = result.subprotocol;
  if (subprotocol !== undefined && subprotocol !== null && typeof subprotocol !== 'string')
    throw new InternalServerError('connect handler returned a subprotocol that is not a string');
  // docs/protocol/cloud-events.md §6: omit subprotocol rather than send ""; it must be one the client offered.
  if (typeof subprotocol === 'string' && subprotocol !== '') {
    if (!request.subprotocols.includes(subprotocol)) throw new InternalServerError('connect handler selected a subprotocol the client did not offer');
    body.subprotocol = subprotocol;
  }
  const mqtt: unknown = result.mqtt;
  if (mqtt !== undefined && mqtt !== null) {
    const props: unknown = (mqtt as { userProperties?: unknown }).userProperties;
    const valid =
      Array.isArray(props) &&
      props.every(
        (p: unknown) =>
          typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string' && typeof (p as { value?: unknown }).value === 'string',
      );
    if (typeof mqtt !== 'object' || (props !== undefined && !valid))
      throw new InternalServerError('connect handler returned an invalid mqtt.userProperties (an array of { name, value } strings)');
    // docs/protocol/cloud-events.md §10: user properties for the CONNACK, meaningful to MQTT 5.0 clients only.
    if (request.context.clientProtocol === 'mqtt' && Array.isArray(props) && props.length > 0)
      body.mqtt = { userProperties: props.map((p: { name: string; value: string }) => ({ name: p.name, value: p.value })) };
  }
  if (Object.keys(body).length === 0) return { status: 204, headers };
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

/** User events: 200 with data and its content type, or 204 (docs/protocol/cloud-events.md §7.2). */
export function toUserEventReply(result: UserEventResponse | void, state?: Readonly<Record<string, unknown>>): HttpReply {
  const headers = stateHeaders(state);
  if (result === undefined || result === null) return { status: 204, headers };
  if (typeof result !== 'object') throw new InternalServerError('user event handler returned something other than a UserEventResponse');
  switch (result.dataType) {
    case 'text':
      if (typeof result.data !== 'string') throw new InternalServerError('user event handler returned text data that is not a string');
      return { status: 200, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: result.data };
    case 'json': {
      const text = result.data === undefined ? undefined : serialize(result.data);
      if (text === undefined) throw new InternalServerError('user event handler returned json data that cannot be serialized');
      return { status: 200, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' }, body: text };
    }
    case 'binary': {
      const data = result.data as unknown;
      const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
      if (!bytes) throw new InternalServerError('user event handler returned binary data that is not a Uint8Array or ArrayBuffer');
      return { status: 200, headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: bytes };
    }
    default:
      throw new InternalServerError('user event handler returned an unknown dataType');
  }
}

/** connected/disconnected are not blocking: the reply is ignored, state cannot change (docs/protocol/cloud-events.md §8). */
export function toNonBlockingReply(): HttpReply {
  return { status: 204 };
}

function stateHeaders(state: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  if (state === undefined) return {};
  try {
    return { [STATE_HEADER]: encodeConnectionState(state) };
  } catch (e) {
    throw new InternalServerError('the connection state cannot be serialized to JSON', 'InvalidState', { cause: e });
  }
}

/** JSON text, or undefined when the value cannot be serialized (cycles, BigInt, nesting too deep). */
function serialize(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
