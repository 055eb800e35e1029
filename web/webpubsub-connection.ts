import { WebPubSubClient, type OnGroupDataMessageArgs, type OnServerDataMessageArgs } from '@azure/web-pubsub-client';
import type { ChatConnection, ChatConnector } from './chat-connection';
import { toChatEntry } from './chat-entries';

/** The chat over Azure Web PubSub: `/api/negotiate`, then events `join`, `leave`, `message` to the hub. */

export const webPubSubNegotiatePath = '/api/negotiate';

export const connectWebPubSub: ChatConnector = (userId, events) => {
  const client = new WebPubSubClient({
    getClientAccessUrl: async () => {
      // Signed in through App Service Authentication, the platform tells negotiate who this is.
      const res = await fetch(userId === undefined ? webPubSubNegotiatePath : `${webPubSubNegotiatePath}?userId=${encodeURIComponent(userId)}`);
      if (!res.ok) throw new Error(`negotiate answered ${res.status} ${res.statusText}`);
      const body = (await res.json()) as { url?: unknown };
      if (typeof body.url !== 'string') throw new Error('negotiate returned no url');
      return body.url;
    },
  });
  client.on('connected', () => events.connected());
  client.on('disconnected', (e) => events.disconnected(e.message?.message));
  client.on('stopped', () => events.stopped());
  client.on('server-message', (e: OnServerDataMessageArgs) => events.entry(toChatEntry(e.message.data)));
  // fromUserId is stamped by the service on a message a client sent to the group itself; the page then
  // trusts it rather than the payload (chat-entries.ts).
  client.on('group-message', (e: OnGroupDataMessageArgs) => events.entry(toChatEntry(e.message.data, e.message.group, e.message.fromUserId)));
  const connection: ChatConnection = {
    start: () => client.start(),
    stop: () => client.stop(),
    // Clients hold no group roles: the hub adds the connection (and refuses names it reserves).
    join: async (room) => void (await client.sendEvent('join', { group: room }, 'json')),
    leave: async (room) => void (await client.sendEvent('leave', { group: room }, 'json')),
    send: async (text, room) => void (await client.sendEvent('message', room ? { text, group: room } : { text }, 'json')),
    // Sampling the SDK's private state is the only way to see a recovery (1.0.4 and 1.1.0) (connection-state.ts).
    sdkState: () => (client as unknown as { _state?: string })._state,
  };
  return connection;
};
