import { InternalServerError } from '../http/errors';
import { toConnectReply, toNonBlockingReply, toUserEventReply } from './replies';
import { MqttConnectRefusal, toMqttConnectRefusalReply } from './mqtt-connect-refusal';
import type { HttpReply, WebPubSubEvent } from './event-types';
import type { HubContext, HubDefinition, HubLogger, UserEventHandler } from '../hub/hub-definition';
import type { HubService } from '../hub/hub-service';

/**
 * Runs the hub's handler for one parsed event and maps its result to the upstream reply.
 * Typed errors thrown by the handler propagate (the edge maps them to status + plain text);
 * anything else propagates too and becomes a 500 with a correlation id at the edge.
 */
export async function dispatchEvent(event: WebPubSubEvent, hub: HubDefinition, service: HubService, log: HubLogger): Promise<HttpReply> {
  const connection = event.request.context;
  const states: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, connection.states);
  let changed = false;
  const context: HubContext = {
    connection,
    service,
    log,
    setState(key, value) {
      if (typeof key !== 'string' || key === '') throw new InternalServerError('setState needs a non-empty string key');
      if (value !== undefined && !isSerializable(value)) throw new InternalServerError(`setState("${key.slice(0, 100)}") value is not JSON-serializable`);
      states[key] = value;
      changed = true;
    },
  };
  const changedState = (): Record<string, unknown> | undefined => (changed ? states : undefined);

  switch (event.kind) {
    case 'connect': {
      let result;
      try {
        result = hub.onConnect ? await hub.onConnect(event.request, context) : undefined;
      } catch (e) {
        // docs/protocol/cloud-events.md §10: an MQTT refusal is a JSON reply carrying the CONNACK code.
        if (e instanceof MqttConnectRefusal && connection.clientProtocol === 'mqtt') return toMqttConnectRefusalReply(e);
        throw e;
      }
      return toConnectReply(event.request, result, hub.allowedRoles, changedState(), hub.allowConnectRole);
    }
    case 'user': {
      const handler = findUserEventHandler(hub, connection.eventName);
      const result = handler ? await handler(event.request, context) : undefined;
      return toUserEventReply(result, changedState());
    }
    case 'connected':
      if (hub.onConnected) await hub.onConnected(event.request, context);
      return toNonBlockingReply();
    case 'disconnected':
      if (hub.onDisconnected) await hub.onDisconnected(event.request, context);
      return toNonBlockingReply();
    case 'groupJoined':
      if (hub.onGroupJoined) await hub.onGroupJoined(event.request, context);
      return toNonBlockingReply();
    case 'groupLeft':
      if (hub.onGroupLeft) await hub.onGroupLeft(event.request, context);
      return toNonBlockingReply();
  }
}

/** Exact event name first, then case-insensitively. */
function findUserEventHandler(hub: HubDefinition, eventName: string): UserEventHandler | undefined {
  const handlers = hub.onUserEvent;
  if (!handlers) return undefined;
  if (Object.hasOwn(handlers, eventName)) return handlers[eventName];
  const key = Object.keys(handlers).find((k) => k.toLowerCase() === eventName.toLowerCase());
  return key === undefined ? undefined : handlers[key];
}

/** JSON.stringify throws on cycles and BigInt and returns undefined for functions: all are unusable state. */
function isSerializable(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}
