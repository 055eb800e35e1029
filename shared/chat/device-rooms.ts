import type { ConnectRequest, MqttConnectProperties } from '../upstream/event-types';
import { isValidGroupName } from '../validation/names';
import { isReservedGroup } from './message';

/**
 * The rooms an MQTT device of the chat is in, and the only roles the chat ever grants (docs/mqtt.md,
 * "Chat with devices"). MQTT has no user events, so a device cannot send the hub `join` or `message`:
 * it names its rooms when it connects (the MQTT user name, and in MQTT 5.0 also `room` user
 * properties), and the hub grants it, for each room, the two roles of that room only:
 * `webpubsub.joinLeaveGroup.<room>` (subscribe) and `webpubsub.sendToGroup.<room>` (publish).
 * The service then enforces them on every SUBSCRIBE and PUBLISH, and stamps the device's user id
 * (from its token, never from CONNECT) on what it publishes. Pure.
 */

/** Rooms one device may name: bounds the roles in one connect reply. */
export const MAX_DEVICE_ROOMS = 10;
/** The MQTT 5.0 CONNECT user property that names one more room. */
export const ROOM_PROPERTY = 'room';

const JOIN_ROLE = 'webpubsub.joinLeaveGroup.';
const SEND_ROLE = 'webpubsub.sendToGroup.';

export type DeviceRoomProblem = 'bad-name' | 'reserved' | 'too-many';

export class DeviceRoomError extends Error {
  constructor(
    readonly problem: DeviceRoomProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceRoomError';
  }
}

/**
 * Why a name cannot be a device's room, or undefined when it can. Besides the chat's own rule (a group
 * name not starting with `__`), MQTT reserves `$` topics for the broker (`$webpubsub/server/messages`
 * is where server messages arrive: a room of that name would let room posts pass for server
 * messages), and `+` and `#` are wildcards, so such a topic can be neither published to nor
 * subscribed to.
 */
export function deviceRoomProblem(name: string): DeviceRoomProblem | undefined {
  if (!isValidGroupName(name) || name.includes('+') || name.includes('#')) return 'bad-name';
  if (isReservedGroup(name) || name.startsWith('$')) return 'reserved';
  return undefined;
}

/**
 * The rooms a device's CONNECT names, without duplicates, in order: the user name first, then the
 * `room` user properties. Throws DeviceRoomError for a name the chat refuses or for more than
 * MAX_DEVICE_ROOMS rooms. An absent or empty user name names no room.
 */
export function deviceRooms(mqtt: MqttConnectProperties | undefined): string[] {
  const named = [...(mqtt?.username ? [mqtt.username] : []), ...(mqtt?.userProperties ?? []).filter((p) => p.name === ROOM_PROPERTY).map((p) => p.value)];
  const rooms = [...new Set(named)];
  for (const room of rooms) {
    const problem = deviceRoomProblem(room);
    if (problem === 'bad-name')
      throw new DeviceRoomError(problem, `"${room.slice(0, 100)}" cannot be a room: 1..1024 characters, not only spaces, without + or #`);
    if (problem === 'reserved') throw new DeviceRoomError(problem, `"${room.slice(0, 100)}" is reserved: rooms may not start with "__" or "$"`);
  }
  if (rooms.length > MAX_DEVICE_ROOMS) throw new DeviceRoomError('too-many', `a device may name at most ${MAX_DEVICE_ROOMS} rooms`);
  return rooms;
}

/** The two roles of one room: subscribe to it and publish to it, and nothing else. */
export function roomRoles(room: string): string[] {
  return [`${JOIN_ROLE}${room}`, `${SEND_ROLE}${room}`];
}

/**
 * The rooms each connect request named, or null when it names one the chat refuses. The guard below is
 * asked once per role of a connect reply, and the reply and its request are checked together, so the
 * CONNECT is read once per request rather than once per role. Keyed weakly: an entry lives only as long
 * as the request it describes.
 */
const namedRooms = new WeakMap<ConnectRequest, ReadonlySet<string> | null>();

function namedRoomsOf(request: ConnectRequest): ReadonlySet<string> | null {
  let rooms = namedRooms.get(request);
  if (rooms === undefined) {
    try {
      rooms = new Set(deviceRooms(request.mqtt));
    } catch {
      rooms = null;
    }
    namedRooms.set(request, rooms);
  }
  return rooms;
}

/**
 * The chat hub's guard on its own connect replies: a role may be granted only to an MQTT connection,
 * and only as one of the two roles of a room that connection named. A bug that granted a web client
 * a role, a device every group, or a device `__presence` fails the connect instead.
 */
export function isDeviceRoomRole(role: string, request: ConnectRequest): boolean {
  if (request.context.clientProtocol !== 'mqtt') return false;
  const room = role.startsWith(JOIN_ROLE) ? role.slice(JOIN_ROLE.length) : role.startsWith(SEND_ROLE) ? role.slice(SEND_ROLE.length) : undefined;
  if (room === undefined || deviceRoomProblem(room) !== undefined) return false;
  return namedRoomsOf(request)?.has(room) ?? false;
}
