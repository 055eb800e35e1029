import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeListener } from '../http/listener';
import { logValue, type Log } from '../log';
import { requestTargetProblem } from '../http/request-target';
import type { HandshakeInput } from './handshake';

/**
 * The HTTP side of a WebSocket upgrade: screening the request, answering a refusal in plain HTTP, and
 * carrying the chosen subprotocol to ws. What happens to an accepted upgrade is the connect flow's.
 */

export interface UpgradeScreenOptions {
  /** True once shutdown began: new upgrades are cut at once. */
  readonly isShuttingDown: () => boolean;
  /** Runs the handshake of a well-formed upgrade; a rejection it throws becomes a 500. */
  readonly handshake: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
  readonly log: Log;
}

/**
 * A client that resets mid-handshake must not crash the process. A module-level function on purpose: an
 * arrow function inside the listener would share its scope, which holds the request, and the socket
 * keeps its error listener for the connection's life, so every open connection kept its upgrade request
 * (URL with the access token, headers) alive: about 1.5 KB each, and more for the GC to copy.
 */
function ignoreSocketError(): void {}

export function createUpgradeListener(options: UpgradeScreenOptions): UpgradeListener {
  return (req, socket, head) => {
    socket.on('error', ignoreSocketError);
    if (options.isShuttingDown()) {
      socket.destroy();
      return;
    }
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      rejectUpgrade(socket, 400, 'not a WebSocket upgrade request');
      return;
    }
    const problem = requestTargetProblem(req.url, req.headers.host);
    if (problem !== undefined) {
      options.log(`reject upgrade 400: ${problem}`);
      rejectUpgrade(socket, 400, problem);
      return;
    }
    options.handshake(req, socket, head).catch((e: unknown) => {
      options.log(`error during handshake ${pathOf(req)}: ${logValue(e instanceof Error ? e.message : String(e))}`);
      rejectUpgrade(socket, 500, 'internal error');
    });
  };
}

/** Refuses an upgrade with a plain HTTP response and closes the socket once it is written. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The subprotocol to echo, decided before ws completes the upgrade and read back by ws's
 * handleProtocols. Kept on the request itself: a WeakMap entry per upgrade was extra GC work
 * (ephemerons) in a connect storm.
 */
const SELECTED_PROTOCOL = Symbol('selected subprotocol');
type UpgradeRequest = IncomingMessage & { [SELECTED_PROTOCOL]?: string | false };

export function selectProtocol(req: IncomingMessage, protocol: string | false): void {
  (req as UpgradeRequest)[SELECTED_PROTOCOL] = protocol;
}

/** False (no subprotocol header) unless selectProtocol chose one. */
export function selectedProtocol(req: IncomingMessage): string | false {
  return (req as UpgradeRequest)[SELECTED_PROTOCOL] ?? false;
}

/** The request path without the query (for logs: the query may hold an access token). */
export function pathOf(req: Pick<IncomingMessage, 'url'>): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** What a handshake decision reads from an upgrade request, for Web PubSub and MQTT clients alike. */
export function handshakeInputOf(req: IncomingMessage, service: Pick<HandshakeInput, 'keys' | 'endpoint' | 'anonymousConnectPolicy'>): HandshakeInput {
  return {
    url: req.url ?? '/',
    rawHeaders: req.rawHeaders,
    host: req.headers.host,
    keys: service.keys,
    endpoint: service.endpoint,
    anonymousConnectPolicy: service.anonymousConnectPolicy,
  };
}

/** Refuses an upgrade that a handshake decision rejected, with one log line. */
export function rejectDecidedUpgrade(log: Log, req: IncomingMessage, socket: Duplex, decision: { readonly status: number; readonly message: string }): void {
  log(`reject ${pathOf(req)} ${decision.status}: ${decision.message}`);
  rejectUpgrade(socket, decision.status, decision.message);
}
