import { randomBytes } from 'node:crypto';
import http, { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { permissionsFromRoles } from './auth/permissions';
import { issueReconnectionToken } from './auth/reconnection-token';
import { kindOfProtocol, selectSubprotocol } from './client/client-kind';
import { decideHandshake, hubOfClientUrl, type ConnectRequestPlan, type RecoverRequestPlan } from './client/handshake';
import { encodeConnected } from './client/json-protocol';
import { KeepAlive } from './client/keepalive';
import { DEFAULT_RELIABLE_LIMITS, type ReliableLimits } from './client/reliable';
import { ClientSession, type SessionServices } from './client/session';
import { FlushScheduler, WsTransport } from './client/transport';
import { DEVELOPMENT_KEY, defaultHubSettings, normalizeHubs, type HubSettings, type HubSettingsInput } from './config';
import type { ServiceOps } from './core/types';
import { logValue, silentLog, type Log } from './log';
import { hubKey } from './names';
import { Connection } from './registry/connection';
import { Registry, type EndOptions } from './registry/registry';
import { createRestHandler } from './rest/index';
import { applyConnectReply } from './upstream/connect-reply';
import { connectedEvent, connectEvent, disconnectedEvent } from './upstream/cloud-event-request';
import { EventDispatcher } from './upstream/event-dispatcher';
import { groupPresenceNotifier } from './upstream/group-presence-notifier';

export interface EmulatorOptions {
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Default: loopback, on both 127.0.0.1 and ::1 (so `localhost` works either way). `0.0.0.0`/`::` = all interfaces. */
  readonly host?: string;
  /** Access keys, primary first. Default: the public development key of local.settings.sample.json. */
  readonly keys?: readonly string[];
  /** Hub settings by hub name (case-insensitive); unlisted hubs have no handlers and deny anonymous clients. */
  readonly hubs?: Readonly<Record<string, HubSettingsInput>>;
  /** Per upstream event including retries (cloud-events.md §11). Default 100 000. */
  readonly upstreamTimeoutMs?: number;
  /** Default [1000, 3000, 5000]. */
  readonly upstreamRetryDelaysMs?: readonly number[];
  /** An `invoke` without an answer after this fails with `Timeout` (docs/protocol/client-protocol-1.1.md §2). Default 60 000. */
  readonly invokeTimeoutMs?: number;
  /** Abuse-protection validation timeout. Default 10 000. */
  readonly validationTimeoutMs?: number;
  /** How long a dropped reliable connection can be recovered (client-protocols.md §4.2). Default 30 000. */
  readonly recoveryWindowMs?: number;
  /** Reliable replay buffer cap. Default 1000 messages / 16 MB. */
  readonly reliableLimits?: ReliableLimits;
  /** One line per connection, upstream call and REST request. Default: silent. */
  readonly log?: Log;
  /** A client must send its request headers (REST or WebSocket upgrade) within this. Default 20 000. */
  readonly headersTimeoutMs?: number;
  /** A client must send its whole REST request (bodies are at most 1 MB) within this. Default 60 000. */
  readonly requestTimeoutMs?: number;
}

export interface RunningEmulator {
  readonly port: number;
  /** `http://localhost:<port>` */
  readonly endpoint: string;
  /** `Endpoint=http://localhost;Port=<port>;AccessKey=<primary key>;Version=1.0;` */
  readonly connectionString: string;
  /** The live state, for tools and tests that bypass REST. */
  readonly ops: ServiceOps;
  close(): Promise<void>;
}

/** WebSocket frames above 1 MB are refused with 1009 (client-protocols.md §7). */
const MAX_FRAME_BYTES = 1024 * 1024;

/** Starts the emulator; resolves once it listens (so `/api/health` answers 200 as soon as it resolves). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const keys = options.keys && options.keys.length > 0 ? [...options.keys] : [DEVELOPMENT_KEY];
  const hubs = normalizeHubs(options.hubs ?? {});
  const log = options.log ?? silentLog;
  const recoveryWindowMs = options.recoveryWindowMs ?? 30_000;
  const reliableLimits = options.reliableLimits ?? DEFAULT_RELIABLE_LIMITS;
  // Unconfigured hubs get default settings; those were rebuilt on each of the several lookups per
  // upgrade. They never change at run time, so they are kept per hub name as sent (the name is part of
  // the settings). Hub names are client-chosen, so the cache is bounded and starts over when full.
  const defaults = new Map<string, HubSettings>();
  const hubSettings = (hub: string): HubSettings => {
    const configured = hubs.get(hubKey(hub));
    if (configured) return configured;
    let settings = defaults.get(hub);
    if (settings === undefined) {
      if (defaults.size >= 1024) defaults.clear();
      settings = defaultHubSettings(hub);
      defaults.set(hub, settings);
    }
    return settings;
  };

  let port = options.port ?? 8080;
  let endpoint = '';
  let shuttingDown = false;

  const dispatcher = new EventDispatcher({
    keys,
    origin: 'localhost',
    get port() {
      return port;
    },
    timeoutMs: options.upstreamTimeoutMs ?? 100_000,
    retryDelaysMs: options.upstreamRetryDelaysMs ?? [1000, 3000, 5000],
    validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
    log,
  });

  const registry: Registry = new Registry({
    keys,
    onEnded: (conn, end) => onEnded(conn, end),
    onRecovered: (conn) => log(`recover hub=${conn.hub} id=${conn.connectionId} user=${logValue(conn.userId)} unacked=${conn.reliable?.unackedCount ?? 0}`),
    onGroupMembership: groupPresenceNotifier({ dispatcher, hubSettings, stopping: () => shuttingDown, onFailure: (e) => logFailure(e) }),
  });
  const services: SessionServices = { registry, dispatcher, hubSettings, log, invocations: { timeoutMs: options.invokeTimeoutMs ?? 60_000, maxPending: 100 } };
  const sessions = new WeakMap<Connection, ClientSession>();
  const scheduler = new FlushScheduler();
  const keepAlive = new KeepAlive();
  const transports = new Set<WsTransport>();
  const handshaking = new Set<Duplex>();
  /** Refused recoveries, closing with 1008: cut at shutdown if the peer never finishes the close handshake. */
  const refused = new Set<WebSocket>();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (_protocols, req) => selectedProtocol(req),
  });

  const logFailure = (e: unknown) => log(`upstream error: ${logValue(e instanceof Error ? e.message : String(e))}`);

  function onEnded(conn: Connection, end: EndOptions): void {
    sessions.get(conn)?.dispose();
    log(`close hub=${conn.hub} id=${conn.connectionId} user=${logValue(conn.userId)} protocol=${logValue(conn.protocol)} code=${end.code} reason=${logValue(end.reason)}`);
    if (shuttingDown) return;
    const hub = hubSettings(conn.hub);
    // cloud-events.md §5: `disconnected` once, when the connection finally ends (connect had succeeded).
    if (dispatcher.hasHandler(hub, { kind: 'system', name: 'disconnected' })) {
      dispatcher.dispatch(hub, conn.eventConnection(), disconnectedEvent(end.reason), conn.takeCeId()).catch(logFailure);
    }
  }

  function attach(conn: Connection, ws: WebSocket, socket: Duplex): WsTransport {
    const transport = new WsTransport(ws, socket, scheduler);
    transports.add(transport);
    keepAlive.add(transport, hubSettings(conn.hub).webSocketKeepAliveIntervalInSeconds * 1000);
    let protocolError: string | undefined;
    ws.on('message', (data, isBinary) => {
      if (conn.transport === transport) sessions.get(conn)?.receive(data as Buffer, isBinary);
    });
    // ws reports protocol errors (1009 too large, 1007 bad UTF-8…) here, then closes the socket.
    ws.on('error', (e) => {
      protocolError = e.message;
    });
    ws.on('close', (code, reasonBytes) => {
      transports.delete(transport);
      keepAlive.remove(transport);
      if (conn.transport !== transport || conn.ended) return; // superseded, or ended by the service
      conn.transport = null;
      const reason = protocolError ?? reasonBytes.toString('utf8');
      // client-protocols.md §4.2: a reliable connection that dropped stays recoverable for the window;
      // a clean close by the client (1000, or no code as client.stop() sends) or a protocol error ends it.
      if (conn.kind === 'reliable' && protocolError === undefined && code !== 1000 && code !== 1005) {
        log(`drop hub=${conn.hub} id=${conn.connectionId} code=${code}: recoverable for ${recoveryWindowMs} ms`);
        conn.recoveryTimer = setTimeout(() => registry.end(conn, { code: 1008, reason: 'the connection was not recovered in time' }), recoveryWindowMs);
        conn.recoveryTimer.unref();
        return;
      }
      registry.end(conn, { code, reason: reason || (code === 1000 || code === 1005 ? '' : `connection lost (code ${code})`) });
    });
    return transport;
  }

  async function handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const decision = decideHandshake({
      url: req.url ?? '/',
      rawHeaders: req.rawHeaders,
      host: req.headers.host,
      keys,
      endpoint,
      anonymousConnectPolicy: (hub) => hubSettings(hub).anonymousConnectPolicy,
    });
    if (decision.kind === 'reject') {
      log(`reject ${pathOf(req)} ${decision.status}: ${decision.message}`);
      return rejectUpgrade(socket, decision.status, decision.message);
    }
    if (decision.kind === 'recover') return recoverUpgrade(req, socket, head, decision);
    return connectUpgrade(req, socket, head, decision);
  }

  function recoverUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, plan: RecoverRequestPlan): void {
    selectProtocol(req, plan.protocol ?? false);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = registry.hub(plan.hub).connections.get(plan.connectionId);
      const transport = conn && !conn.ended ? attach(conn, ws, socket) : undefined;
      if (!conn || !transport || !registry.recover(plan.hub, plan.connectionId, plan.reconnectionToken, transport)) {
        // client-protocols.md §4.2 step 4: accept, then close with 1008 so the SDK starts afresh at once.
        if (transport) transports.delete(transport);
        log(`recover-refused hub=${plan.hub} id=${logValue(plan.connectionId)}`);
        ws.on('error', () => {});
        refused.add(ws);
        ws.once('close', () => refused.delete(ws));
        ws.close(1008, 'the connection cannot be recovered');
      }
    });
  }

  async function connectUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, plan: ConnectRequestPlan): Promise<void> {
    const hub = hubSettings(plan.hub);
    const connectionId = newConnectionId();
    let result: Awaited<ReturnType<EventDispatcher['dispatch']>> = { kind: 'no-handler' };
    if (dispatcher.hasHandler(hub, { kind: 'system', name: 'connect' })) {
      handshaking.add(socket);
      try {
        const event = connectEvent({ claims: plan.identity.claims, query: plan.query, headers: plan.headers, subprotocols: plan.offered });
        // cloud-events.md §3: the connect event is ce-id 0; no subprotocol selected yet.
        result = await dispatcher.dispatch(hub, { hub: hub.name, connectionId, userId: plan.identity.userId, subprotocol: null, state: '' }, event, '0');
      } finally {
        handshaking.delete(socket);
      }
    }
    const outcome = applyConnectReply(result, plan.identity);
    if (!outcome.ok) {
      log(`reject ${pathOf(req)} ${outcome.status}: ${outcome.message}`);
      return rejectUpgrade(socket, outcome.status, outcome.message);
    }
    const choice = selectSubprotocol(plan.offered, outcome.subprotocol);
    if (!choice.ok) {
      log(`reject ${pathOf(req)} ${choice.status}: ${choice.message}`);
      return rejectUpgrade(socket, choice.status, choice.message);
    }
    if (socket.destroyed || shuttingDown) {
      socket.destroy();
      return;
    }
    selectProtocol(req, choice.protocol ?? false);
    // Corked so ws's 101 response and the `connected` frame (sent in the callback, which ws runs
    // synchronously) go out in one write.
    socket.cork();
    try {
      upgradeConnect(req, socket, head, plan, hub, connectionId, outcome, choice.protocol);
    } finally {
      socket.uncork();
    }
  }

  function upgradeConnect(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    plan: ConnectRequestPlan,
    hub: HubSettings,
    connectionId: string,
    outcome: Extract<ReturnType<typeof applyConnectReply>, { ok: true }>,
    protocol: string | null,
  ): void {
    const choice = { protocol };
    wss.handleUpgrade(req, socket, head, (ws) => {
      const kind = kindOfProtocol(choice.protocol);
      const conn = new Connection(
        connectionId,
        hub.name,
        outcome.userId,
        choice.protocol,
        kind,
        permissionsFromRoles(outcome.roles),
        plan.mode,
        kind === 'reliable' ? issueReconnectionToken(connectionId, keys[0]!) : undefined,
        reliableLimits,
      );
      if (outcome.state !== undefined) conn.state = outcome.state;
      sessions.set(conn, new ClientSession(conn, services));
      const transport = attach(conn, ws, socket);
      conn.transport = transport;
      registry.add(conn, outcome.groups);
      // client-protocols.md §1: PubSub clients get system/connected first; simple clients get no system frames.
      if (kind !== 'simple') transport.sendNow(encodeConnected(connectionId, conn.userId, conn.reconnectionToken), false);
      log(`open hub=${hub.name} id=${connectionId} user=${logValue(conn.userId)} protocol=${logValue(choice.protocol)}${kind === 'simple' ? ` mode=${conn.mode.name}` : ''}`);
      if (dispatcher.hasHandler(hub, { kind: 'system', name: 'connected' })) {
        // Non-blocking (cloud-events.md §5): the reply is ignored; failures are only logged.
        dispatcher.dispatch(hub, conn.eventConnection(), connectedEvent(), conn.takeCeId()).catch(logFailure);
      }
    });
  }

  const rest = createRestHandler({ ops: registry, keys, log: (line) => log(`rest ${line}`) });

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.on('error', () => {});
    res.on('error', () => {});
    const path = pathOf(req);
    if (path.startsWith('/api/')) return rest(req, res);
    const isClient = hubOfClientUrl(new URL(req.url ?? '/', 'http://x')) !== null;
    const status = isClient ? 426 : 404;
    const body = isClient
      ? 'This is a WebSocket endpoint: connect with a WebSocket client.\n'
      : 'Local Web PubSub emulator. Clients: ws://<host>/client/hubs/<hub>?access_token=<jwt>. REST: /api/hubs/<hub>/...\n';
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client that resets mid-handshake must not crash the process.
    socket.on('error', () => {});
    if (shuttingDown) {
      socket.destroy();
      return;
    }
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      rejectUpgrade(socket, 400, 'not a WebSocket upgrade request');
      return;
    }
    handleUpgrade(req, socket, head).catch((e: unknown) => {
      log(`error during handshake ${pathOf(req)}: ${logValue(e instanceof Error ? e.message : String(e))}`);
      rejectUpgrade(socket, 500, 'internal error');
    });
  };

  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const timeouts = { headersTimeout, requestTimeout: Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout) };
  const servers = await listen(options.host, port, onRequest, onUpgrade, timeouts);
  port = (servers[0]!.address() as AddressInfo).port;
  endpoint = `http://localhost:${port}`;

  return {
    port,
    endpoint,
    connectionString: `Endpoint=http://localhost;Port=${port};AccessKey=${keys[0]};Version=1.0;`,
    ops: registry,
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      for (const s of handshaking) s.destroy();
      for (const conn of [...registry.allConnections()]) {
        registry.end(conn, { code: 1000, reason: 'the service is shutting down', notifyClient: true });
      }
      await waitForSockets(transports, 500);
      for (const ws of refused) ws.terminate();
      keepAlive.close();
      wss.close();
      dispatcher.close();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/**
 * 16 random bytes as base64url. The bytes come from a pooled buffer refilled 256 ids at a time: one
 * randomBytes call per connection was a visible cost in a connect storm (the same pooling Node's
 * randomUUID uses). The bytes are still from the CSPRNG, and each is used once.
 */
const ID_BYTES = 16;
const ID_POOL_IDS = 256;
let idPool = Buffer.alloc(0);
let idPoolOffset = 0;

function newConnectionId(): string {
  if (idPoolOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * ID_POOL_IDS);
    idPoolOffset = 0;
  }
  const id = idPool.toString('base64url', idPoolOffset, idPoolOffset + ID_BYTES);
  idPoolOffset += ID_BYTES;
  return id;
}

/** Gives sockets a moment to finish their close handshake, then cuts the rest. */
async function waitForSockets(transports: Set<WsTransport>, graceMs: number): Promise<void> {
  const open = [...transports].filter((t) => t.ws.readyState !== t.ws.CLOSED);
  if (open.length > 0) {
    await Promise.race([
      Promise.all(open.map((t) => new Promise((r) => t.ws.once('close', r)))),
      new Promise((r) => setTimeout(r, graceMs).unref()),
    ]);
  }
  for (const t of transports) t.terminate();
  transports.clear();
}

/**
 * Listens on one host, or by default on loopback both ways: 127.0.0.1 first (its port wins when 0 was
 * asked for), then ::1 on the same port when the machine has IPv6.
 */
async function listen(
  host: string | undefined,
  port: number,
  onRequest: http.RequestListener,
  onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void,
  timeouts: { headersTimeout: number; requestTimeout: number },
): Promise<http.Server[]> {
  const make = () => {
    // Slow-loris bounds: Node checks both timeouts every connectionsCheckingInterval (default 30 s).
    const s = http.createServer({ keepAliveTimeout: 5000, ...timeouts, connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeout) }, onRequest);
    s.on('upgrade', onUpgrade);
    return s;
  };
  const listenOn = (s: http.Server, h: string, p: number) =>
    new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, h, () => {
        s.off('error', reject);
        resolve();
      });
    });
  const first = make();
  await listenOn(first, host ?? '127.0.0.1', port);
  if (host !== undefined) return [first];
  const actual = (first.address() as AddressInfo).port;
  const second = make();
  try {
    await listenOn(second, '::1', actual);
    return [first, second];
  } catch {
    // No IPv6 loopback (or ::1 port taken): 127.0.0.1 alone still serves ws://127.0.0.1 and most `localhost` resolvers.
    return [first];
  }
}

/**
 * The subprotocol to echo, decided before ws completes the upgrade and read back by ws's
 * handleProtocols. Kept on the request itself: a WeakMap entry per upgrade was extra GC work
 * (ephemerons) in a connect storm.
 */
const SELECTED_PROTOCOL = Symbol('selected subprotocol');
type UpgradeRequest = http.IncomingMessage & { [SELECTED_PROTOCOL]?: string | false };

function selectProtocol(req: http.IncomingMessage, protocol: string | false): void {
  (req as UpgradeRequest)[SELECTED_PROTOCOL] = protocol;
}

function selectedProtocol(req: http.IncomingMessage): string | false {
  return (req as UpgradeRequest)[SELECTED_PROTOCOL] ?? false;
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
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

function pathOf(req: http.IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
