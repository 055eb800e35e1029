import { BadRequestError, UnauthorizedError } from '../http/errors';
import { MAX_CHAT_TEXT, PRESENCE_GROUP, type ChatMessageOut } from '../chat/message';
import { isValidGroupName } from '../validation/names';
import { defineSignalRHub, type SignalRHubContext } from './hub-definition';

/**
 * The chat hub over SignalR: `send("message", { text, group? })` reaches clients as
 * `on("message", { from, text, group?, at })`; `send("join", room)` and `send("leave", room)` manage
 * rooms. Who joined or left (the hub, or a room) is announced with the target `system`.
 */

export const SYSTEM_TARGET = 'system';

function userOf(ctx: SignalRHubContext): string {
  const userId = ctx.connection.userId;
  if (!userId) throw new UnauthorizedError('chat needs a user id: connect through /api/signalr/negotiate');
  return userId;
}

export function parseRoom(value: unknown): string {
  if (typeof value !== 'string' || !isValidGroupName(value) || value === PRESENCE_GROUP)
    throw new BadRequestError('a room is a group name (1..1024 characters)');
  return value;
}

export function parseSignalRChatMessage(value: unknown): { text: string; group?: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('a chat message is { "text": "...", "group"?: "..." }');
  const { text, group } = value as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') throw new BadRequestError('"text" must be a non-empty string');
  if (text.length > MAX_CHAT_TEXT) throw new BadRequestError(`"text" may be at most ${MAX_CHAT_TEXT} characters`);
  if (group === undefined || group === null || group === '') return { text };
  return { text, group: parseRoom(group) };
}

export const signalrChatHub = defineSignalRHub({
  name: 'chat',
  async onConnected(ctx) {
    const userId = ctx.connection.userId;
    if (userId) await ctx.service.sendToAll(SYSTEM_TARGET, [{ system: 'joined', userId }]);
  },
  async onDisconnected(ctx) {
    const userId = ctx.connection.userId;
    if (userId) await ctx.service.sendToAll(SYSTEM_TARGET, [{ system: 'left', userId }]);
  },
  targets: {
    async message(ctx, args) {
      const from = userOf(ctx);
      const { text, group } = parseSignalRChatMessage(args[0]);
      const out: ChatMessageOut = { from, text, ...(group ? { group } : {}), at: new Date().toISOString() };
      if (group) await ctx.service.sendToGroup(group, 'message', [out]);
      else await ctx.service.sendToAll('message', [out]);
      return undefined;
    },
    async join(ctx, args) {
      const userId = userOf(ctx);
      const room = parseRoom(args[0]);
      await ctx.service.addConnectionToGroup(room, ctx.connection.connectionId);
      await ctx.service.sendToGroup(room, SYSTEM_TARGET, [{ system: 'joined', userId, group: room }]);
      return undefined;
    },
    async leave(ctx, args) {
      const userId = userOf(ctx);
      const room = parseRoom(args[0]);
      await ctx.service.removeConnectionFromGroup(room, ctx.connection.connectionId);
      await ctx.service.sendToGroup(room, SYSTEM_TARGET, [{ system: 'left', userId, group: room }]);
      return undefined;
    },
  },
});
