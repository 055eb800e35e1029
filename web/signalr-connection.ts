import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import type { ChatConnection, ChatConnector } from './chat-connection';
import { signalrChatEntry } from './signalr-entries';

/**
 * The chat over Azure SignalR Service with `@microsoft/signalr`: the hub URL `/api/signalr` (the client
 * negotiates at `/api/signalr/negotiate` and is redirected to the service), then `invoke('join', room)`,
 * `invoke('leave', room)` and `invoke('message', { text, group? })`, so the hub's refusals reach the page.
 */

export const signalrHubPath = '/api/signalr';

export const connectSignalR: ChatConnector = (userId, events) => {
  const hub = new HubConnectionBuilder()
    .withUrl(userId === undefined ? signalrHubPath : `${signalrHubPath}?userId=${encodeURIComponent(userId)}`)
    .withAutomaticReconnect()
    .configureLogging(LogLevel.Warning)
    .build();
  for (const target of ['message', 'system']) hub.on(target, (arg: unknown) => events.entry(signalrChatEntry(target, arg)));
  hub.onreconnecting((e) => events.disconnected(e?.message));
  // A reconnected client has a new connection: the hub has forgotten its rooms (chat.ts joins them again).
  hub.onreconnected(() => events.connected());
  hub.onclose(() => events.stopped());
  return {
    async start() {
      await hub.start();
      events.connected();
    },
    stop: () => void hub.stop(),
    join: (room) => hub.invoke('join', room),
    leave: (room) => hub.invoke('leave', room),
    send: (text, room) => hub.invoke('message', room ? { text, group: room } : { text }),
    sdkState: () => undefined,
  } satisfies ChatConnection;
};
