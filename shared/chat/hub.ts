import { UnauthorizedError } from '../http/errors';
import { defineHub, failMqtt } from '../hub/hub-definition';
import { parseChatMessage, PRESENCE_GROUP, type ChatMessageOut } from './message';

/**
 * The demo `chat` hub.
 * - connect: refuses connections without a user id (401; MQTT devices get CONNACK "not authorized");
 *   MQTT devices (negotiate `?protocol=mqtt`) take part like web users: a room is a topic, and what a
 *   device publishes to it reaches the room's web users directly through the service;
 * - connected: announces `{ system: "joined", userId }` to the hub, then sends the newcomer
 *   `{ system: "roster", users }` (best effort, through a presence group);
 * - `message`: validates `{ text, group? }` or a text frame, then sends
 *   `{ from, text, group?, at }` to the group or to everyone; replies 204;
 * - disconnected: announces `{ system: "left", userId }`.
 */
export const chatHub = defineHub({
  name: 'chat',
  // What negotiate grants by default, so the chat page can join rooms and send to them.
  allowedRoles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'],

  onConnect(request, { connection }) {
    const noUser = 'chat needs a user id: connect with a token from /api/negotiate';
    if (!connection.userId && connection.clientProtocol === 'mqtt') failMqtt(request.mqtt?.protocolVersion === 5 ? 0x87 : 5, noUser);
    if (!connection.userId) throw new UnauthorizedError(noUser);
  },

  async onConnected(_request, { connection, service, log }) {
    const userId = connection.userId;
    if (!userId) return;
    await service.sendToAll({ system: 'joined', userId });
    try {
      await service.addConnectionToGroup(PRESENCE_GROUP, connection.connectionId);
      const members = await service.listGroupConnections(PRESENCE_GROUP);
      const users = [...new Set(members.map((m) => m.userId).filter((u): u is string => !!u))].sort();
      await service.sendToConnection(connection.connectionId, { system: 'roster', users });
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
  },

  async onDisconnected(_request, { connection, service }) {
    if (connection.userId) await service.sendToAll({ system: 'left', userId: connection.userId });
  },
});
