import http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The one place the emulator creates and binds node servers. Everything else receives requests and
 * upgrades through the two callbacks.
 */

export type UpgradeListener = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export type NodeServer = http.Server | https.Server;

/**
 * Creates one (unbound) server from the emulator's server options. The default makes a plain HTTP
 * server; a TLS mode passes `(options, onRequest) => https.createServer({ ...options, key, cert }, onRequest)`
 * (https.ServerOptions extends http.ServerOptions, so the timeouts carry over unchanged).
 */
export type ServerFactory = (options: http.ServerOptions, onRequest: http.RequestListener) => NodeServer;

export const createPlainServer: ServerFactory = (options, onRequest) => http.createServer(options, onRequest);

export interface ServerTimeouts {
  /** A client must send its request headers (REST or WebSocket upgrade) within this. */
  readonly headersTimeout: number;
  /** A client must send its whole request within this (never less than headersTimeout). */
  readonly requestTimeout: number;
}

export interface ListenOptions {
  /** Undefined: loopback both ways (127.0.0.1, then ::1 on the same port when the machine has IPv6). */
  readonly host: string | undefined;
  /** 0 picks a free port. */
  readonly port: number;
  readonly onRequest: http.RequestListener;
  readonly onUpgrade: UpgradeListener;
  readonly timeouts: ServerTimeouts;
  readonly createServer?: ServerFactory;
}

export interface Listener {
  /** The bound port (the one picked when 0 was asked for). */
  readonly port: number;
  readonly servers: readonly NodeServer[];
  /** Stops accepting, then cuts every open connection (keep-alive ones included). */
  close(): Promise<void>;
}

/** The options every server gets: slow-loris bounds that Node checks every connectionsCheckingInterval. */
export function serverOptions(timeouts: ServerTimeouts): http.ServerOptions {
  return {
    keepAliveTimeout: 5000,
    headersTimeout: timeouts.headersTimeout,
    requestTimeout: Math.max(timeouts.requestTimeout, timeouts.headersTimeout),
    // Node's default (30 s) would let a stalled client hold a socket far past headersTimeout.
    connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeout),
  };
}

export async function listen(options: ListenOptions): Promise<Listener> {
  const factory = options.createServer ?? createPlainServer;
  const make = (): NodeServer => {
    const server = factory(serverOptions(options.timeouts), options.onRequest);
    server.on('upgrade', options.onUpgrade);
    return server;
  };
  const first = make();
  await bind(first, options.host ?? '127.0.0.1', options.port);
  const port = (first.address() as AddressInfo).port;
  const servers: NodeServer[] = [first];
  if (options.host === undefined) {
    const second = make();
    try {
      await bind(second, '::1', port);
      servers.push(second);
    } catch {
      // No IPv6 loopback (or ::1 port taken): 127.0.0.1 alone still serves ws://127.0.0.1 and most `localhost` resolvers.
    }
  }
  return {
    port,
    servers,
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}

function bind(server: NodeServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: NodeServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
