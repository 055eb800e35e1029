import { UnauthorizedError } from '../http/errors';
import { defineHub } from '../hub/hub-definition';
import { parseChatMessage, parseRoomRequest, PRESENCE_GROUP, type ChatMessageOut } from './message';
import { rosterFrames, type PresenceDelta } from './presence';

/**
 * The demo `chat` hub. Clients hold no group roles: every message and every room change goes through
 * the hub, which stamps `from` with the authenticated user id and keeps reserved groups (`__…`) to itself.
 * - connect: refuses connections without a user id (401);
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

  onConnect(_request, { connection }) {
    if (!connection.userId) throw new UnauthorizedError('chat needs a user id: connect with a token from /api/negotiate');
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
