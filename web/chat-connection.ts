import type { ChatEntry } from './chat-entries';

/**
 * What the page needs from a connection to the chat hub, whichever service carries it
 * (webpubsub-connection.ts, signalr-connection.ts); chat.ts only sees this.
 */
export interface ChatConnectionEvents {
  /** Connected: the first time, or with a new connection after a drop (rooms must be joined again). */
  connected(): void;
  /** The connection dropped; the client is reconnecting. */
  disconnected(reason?: string): void;
  /** The client gave up or was stopped. */
  stopped(): void;
  /** Something the hub sent, as the page shows it. */
  entry(entry: ChatEntry): void;
}

export interface ChatConnection {
  /** Resolves once connected (after `connected`), rejects when the first connection fails. */
  start(): Promise<void>;
  stop(): void;
  /** Each rejects with the hub's reason when it refuses. */
  join(room: string): Promise<void>;
  leave(room: string): Promise<void>;
  send(text: string, room: string): Promise<void>;
  /** The client's own state name, sampled to show a recovery (Web PubSub only; see connection-state.ts). */
  sdkState(): string | undefined;
}

/** Opens a connection for the user `userId`, or for the signed-in user (App Service Authentication) when undefined. */
export type ChatConnector = (userId: string | undefined, events: ChatConnectionEvents) => ChatConnection;
