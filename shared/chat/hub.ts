import { UnauthorizedError } from '../http/errors';
import { defineHub, failMqtt } from '../hub/hub-definition';
import { DeviceRoomError, deviceRooms, isDeviceRoomRole, roomRoles } from './device-rooms';
import { deviceOwnerGroup, parseChatMessage, parseRoomRequest, PRESENCE_GROUP, type ChatMessageOut } from './message';
import { rosterFrames, type PresenceDelta } from './presence';

/**
 * The demo `chat` hub. Clients hold no group roles: every message and every room change goes through
 * the hub, which stamps `from` with the authenticated user id and keeps reserved groups (`__…`) to itself.
 * - connect: refuses connections without a user id (401; an MQTT device gets CONNACK "not authorized").
 *   An MQTT device, which has no user events, is put in the rooms its CONNECT names and granted the
 *   subscribe and publish roles of those rooms only (device-rooms.ts), and put in its user's device
 *   group, which proves who owns its client id;
 * - connected: announces `{ system: "joined", userId }` to everyone else, puts the connection in the
 *   presence group, and sends the newcomer a snapshot `{ system: "roster", users, continued? }`
 *   (best effort; see presence.ts for the cost);
 * - `message`: validates `{ text, group? }` or a text frame, then sends `{ from, text, group?, at }`
 *   to the room or to everyone; replies 204;
 * - `join` / `leave`: `{ group }` (or a text frame with the room name) adds or removes the connection;
 * - disconnected: announces `{ system: "left", userId }`.
 */
export const chatHub = defineHub({
  name: 'chat',
  // No client roles: a direct group send would bypass `from` stamping and the length limit, and a
  // client allowed to join or leave any group could leave the presence group to hide from rosters.
  allowedRoles: [],
  // The one exception, checked again on the reply: a device gets the two roles of each room it named.
  allowConnectRole: isDeviceRoomRole,

  async onConnect(request, { connection, service }) {
    const noUser = 'chat needs a user id: connect with a token from /api/negotiate';
    if (!connection.userId && connection.clientProtocol === 'mqtt') failMqtt(request.mqtt?.protocolVersion === 5 ? 0x87 : 5, noUser);
    if (!connection.userId) throw new UnauthorizedError(noUser);
    if (connection.clientProtocol !== 'mqtt') return;
    const v5 = request.mqtt?.protocolVersion === 5;
    let rooms: string[];
    try {
      rooms = deviceRooms(request.mqtt);
    } catch (e) {
      if (!(e instanceof DeviceRoomError)) throw e;
      // 3.1.1 has codes 1–5 only: a bad room name is a bad user name, a reserved one is not authorized.
      const codes = { 'bad-name': v5 ? 0x86 : 4, reserved: v5 ? 0x87 : 5, 'too-many': v5 ? 0x97 : 5 } as const;
      failMqtt(codes[e.problem], e.message);
    }
    // MQTT lets a second connection with a client id take that session over. The newcomer would speak
    // as itself, but could knock another user's device offline: only its own user may reuse the id.
    // Ownership is membership of the user's device group, which the service joins before the CONNACK
    // (the presence group is joined later, in `connected`, and would leave a window). An open connection
    // outside that group is someone else's, or an unknown owner's: refused either way.
    const owners = deviceOwnerGroup(connection.userId);
    if (await service.connectionExists(connection.connectionId)) {
      const mine = await service.listGroupConnections(owners);
      if (!mine.some((m) => m.connectionId === connection.connectionId)) failMqtt(v5 ? 0x85 : 2, 'this client id is in use by another user');
    }
    // Joined at connect, so a device is in its rooms without a SUBSCRIBE; the roles let it subscribe
    // (its own QoS, No Local) and publish there, and nowhere else. No role reaches the device group.
    return { groups: [...rooms, owners], roles: rooms.flatMap(roomRoles) };
  },

  async onConnected(_request, { connection, service, log }) {
    const userId = connection.userId;
    if (!userId) return;
    const joined: PresenceDelta = { system: 'joined', userId };
    // The newcomer learns about itself from the snapshot; the others get one small frame each.
    await service.sendToAll(joined, { excluded: [connection.connectionId] });
    try {
      await service.addConnectionToGroup(PRESENCE_GROUP, connection.connectionId);
      for (const frame of rosterFrames(await service.listGroupConnections(PRESENCE_GROUP))) {
        await service.sendToConnection(connection.connectionId, frame);
      }
    } catch (e) {
      // The roster is a nicety; the connection works without it.
      log.warn(`chat: could not send the roster to ${connection.connectionId}: ${(e as Error).message}`);
    }
  },

  onUserEvent: {
    async message(request, { connection, service }) {
      if (!connection.userId) throw new UnauthorizedError('chat messages need a user id');
      const { text, group } = parseChatMessage(request);
      const out: ChatMessageOut = { from: connection.userId, text, ...(group ? { group } : {}), at: new Date().toISOString() };
      if (group) await service.sendToGroup(group, out);
      else await service.sendToAll(out);
    },
    async join(request, { connection, service }) {
      await service.addConnectionToGroup(parseRoomRequest(request), connection.connectionId);
    },
    async leave(request, { connection, service }) {
      await service.removeConnectionFromGroup(parseRoomRequest(request), connection.connectionId);
    },
  },

  async onDisconnected(_request, { connection, service }) {
    if (connection.userId) await service.sendToAll({ system: 'left', userId: connection.userId } satisfies PresenceDelta);
  },
});
