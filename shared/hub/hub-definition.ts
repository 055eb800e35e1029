import { ConfigError, InternalServerError, WebPubSubError } from '../http/errors';
import type {
  ConnectedRequest,
  ConnectionContext,
  ConnectRequest,
  ConnectResponse,
  DisconnectedRequest,
  GroupJoinedRequest,
  GroupLeftRequest,
  UserEventRequest,
  UserEventResponse,
} from '../upstream/event-types';
import type { HubService } from './hub-service';
import { isMqttConnectRefusalCode, MqttConnectRefusal } from '../upstream/mqtt-connect-refusal';
import { isValidHubName } from '../validation/names';
import { isValidRole } from '../auth/roles';

/**
 * The hub API: app authors describe a hub with `defineHub` and the event handler dispatches to it.
 * Handlers reject by throwing typed errors (`UnauthorizedError`, `ForbiddenError`, `BadRequestError`)
 * or calling `fail`; anything else thrown becomes a 500 with a correlation id.
 */

export interface HubLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface HubContext {
  readonly connection: ConnectionContext;
  readonly service: HubService;
  /** Sets one key of the connection state; sent back on blocking events only (docs/protocol/cloud-events.md §8). */
  setState(key: string, value: unknown): void;
  readonly log: HubLogger;
}

type MaybePromise<T> = T | Promise<T>;

export type ConnectHandler = (request: ConnectRequest, context: HubContext) => MaybePromise<ConnectResponse | void>;
export type ConnectedHandler = (request: ConnectedRequest, context: HubContext) => MaybePromise<void>;
export type UserEventHandler = (request: UserEventRequest, context: HubContext) => MaybePromise<UserEventResponse | void>;
export type DisconnectedHandler = (request: DisconnectedRequest, context: HubContext) => MaybePromise<void>;
export type GroupJoinedHandler = (request: GroupJoinedRequest, context: HubContext) => MaybePromise<void>;
export type GroupLeftHandler = (request: GroupLeftRequest, context: HubContext) => MaybePromise<void>;

export interface HubDefinition {
  readonly name: string;
  /**
   * Roles a connect reply may grant. Omitted = a connect reply may grant no roles (the roles in the
   * client token from negotiate still apply). A reply granting anything else fails the connect (500),
   * and configured negotiate roles outside this list fail start-up.
   */
  readonly allowedRoles?: readonly string[];
  /**
   * Roles a connect reply may grant to one connection beyond `allowedRoles`, decided per role and
   * request (the chat grants an MQTT device the two roles of each room it named). Negotiate roles are
   * checked against `allowedRoles` only, so this never widens what a client token may carry.
   */
  readonly allowConnectRole?: (role: string, request: ConnectRequest) => boolean;
  readonly onConnect?: ConnectHandler;
  readonly onConnected?: ConnectedHandler;
  /**
   * Keyed by event name (`message` for simple clients' frames). Unhandled events are acknowledged (204).
   * The return value is the reply: a server message for an `event` frame, the result of an invocation
   * for client 1.1.0's `invokeEvent`.
   */
  readonly onUserEvent?: Readonly<Record<string, UserEventHandler>>;
  readonly onDisconnected?: DisconnectedHandler;
  /**
   * Group presence (non-blocking). The service only sends these when the hub's event handler lists them
   * in `groupPresenceEvents`; `groupPresenceEventNames` says which ones this hub needs (the Bicep uses it).
   */
  readonly onGroupJoined?: GroupJoinedHandler;
  readonly onGroupLeft?: GroupLeftHandler;
}

/** The group presence events a hub handles: what its event handler's `groupPresenceEvents.eventNames` must list. */
export function groupPresenceEventNames(hub: HubDefinition): ('joined' | 'left')[] {
  return [...(hub.onGroupJoined ? ['joined' as const] : []), ...(hub.onGroupLeft ? ['left' as const] : [])];
}

/** Validates and freezes a hub definition. */
export function defineHub(definition: HubDefinition): HubDefinition {
  if (!isValidHubName(definition.name)) throw new ConfigError([`hub definition: "${definition.name}" is not a valid hub name`]);
  for (const role of definition.allowedRoles ?? []) {
    if (!isValidRole(role)) throw new ConfigError([`hub "${definition.name}": allowedRoles entry "${role}" is not a Web PubSub role`]);
  }
  return Object.freeze({
    ...definition,
    ...(definition.allowedRoles ? { allowedRoles: Object.freeze([...definition.allowedRoles]) } : {}),
    ...(definition.onUserEvent ? { onUserEvent: Object.freeze({ ...definition.onUserEvent }) } : {}),
  });
}

/** Rejects the current event with a status and a plain-text message, like express's `res.fail`. */
export function fail(status: 400 | 401 | 403 | 500, message: string): never {
  const codes = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 500: 'InternalServerError' } as const;
  throw new WebPubSubError(status, codes[status], message);
}

/**
 * Refuses an MQTT client's connect with a CONNACK code (3.1.1: 1–5; 5.0: 0x80 and up, e.g. 0x87 not
 * authorized, 0x8A banned); the reason and user properties reach 5.0 clients. Only in `onConnect`.
 */
export function failMqtt(code: number, reason?: string, userProperties?: readonly { name: string; value: string }[]): never {
  if (!isMqttConnectRefusalCode(code)) throw new InternalServerError(`failMqtt: ${code} is not an MQTT CONNACK refusal code`);
  throw new MqttConnectRefusal(code, reason, userProperties);
}

/** The hub used for a configured hub that has no definition: accepts connections, ignores events. */
export function defaultHub(name: string): HubDefinition {
  return Object.freeze({ name });
}
