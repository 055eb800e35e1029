import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { NORMAL_CLOSURE } from './client/close-codes';
import type { Connection } from './registry/connection';
import type { EndOptions } from './registry/registry';

/**
 * Stopping the emulator, in an order that loses nothing a client could still receive: refuse new work,
 * tell every client the service is going away (system/disconnected, then a normal close), give the
 * close handshakes a moment, cut what is left, stop the timers, then close the listening servers.
 */

/** What shutdown needs of a socket; WsTransport has it. */
export interface ClosingSocket {
  readonly ws: Pick<WebSocket, 'readyState' | 'CLOSED' | 'once'>;
  terminate(): void;
}

export interface ShutdownParts {
  /** Upgrades still waiting for the connect event's reply. */
  readonly handshaking: Iterable<Duplex>;
  readonly registry: { allConnections(): Iterable<Connection>; end(conn: Connection, options: EndOptions): void };
  /** Every open client socket; emptied by shutdown. */
  readonly sockets: Set<ClosingSocket>;
  /** Recoveries refused a moment ago, still closing. */
  readonly refused: Iterable<Pick<WebSocket, 'terminate'>>;
  /** Stops keep-alive, the WebSocket server and upstream retries. */
  readonly stopTimers: () => void;
  /** Closes the listening servers and every connection they still hold. */
  readonly closeListener: () => Promise<void>;
}

export const SHUTDOWN_REASON = 'the service is shutting down';

export async function shutdown(parts: ShutdownParts, graceMs = 500): Promise<void> {
  for (const socket of parts.handshaking) socket.destroy();
  for (const conn of [...parts.registry.allConnections()]) {
    parts.registry.end(conn, { code: NORMAL_CLOSURE, reason: SHUTDOWN_REASON, notifyClient: true });
  }
  await waitForSockets(parts.sockets, graceMs);
  for (const ws of parts.refused) ws.terminate();
  parts.stopTimers();
  await parts.closeListener();
}

/** Gives sockets `graceMs` to finish their close handshake, then cuts the rest. */
export async function waitForSockets(sockets: Set<ClosingSocket>, graceMs: number): Promise<void> {
  const open = [...sockets].filter((s) => s.ws.readyState !== s.ws.CLOSED);
  if (open.length > 0) {
    await Promise.race([
      Promise.all(open.map((s) => new Promise((resolve) => s.ws.once('close', resolve)))),
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
  }
  for (const s of sockets) s.terminate();
  sockets.clear();
}
