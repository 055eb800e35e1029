import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { permissionsFromRoles } from '../auth/permissions';
import { issueReconnectionToken } from '../auth/reconnection-token';
import type { ServiceHubSettings } from '../config';
import { tooManyConnectionsMessage } from '../limits';
import { logValue, type Log } from '../log';
import { ConnectionIdPool } from '../registry/connection-ids';
import { Connection } from '../registry/connection';
import type { Registry } from '../registry/registry';
import { applyConnectReply } from '../upstream/connect-reply';
import { connectedEvent, connectEvent } from '../upstream/cloud-event-request';
import type { EventDispatcher } from '../upstream/event-dispatcher';
import { kindOfProtocol, selectSubprotocol, type ClientKind } from './client-kind';
import { isDeliberateClose, POLICY_VIOLATION } from './close-codes';
import { decideHandshake, type ConnectRequestPlan, type RecoverRequestPlan } from './handshake';
import { encodeConnected } from './json-protocol';
import { KeepAlive } from './keepalive';
import type { ReliableLimits } from './reliable';
import type { InvocationOptions } from './invocations';
import { ClientSession, type SessionServices } from './session';
import { FlushScheduler, WsTransport } from './transport';
import { handshakeInputOf, pathOf, rejectDecidedUpgrade, rejectUpgrade, selectedProtocol, selectProtocol } from './upgrade';

/**
 * The life of a client connection from a well-formed upgrade request to an open, registered
 * connection (docs/protocol/client-protocols.md §1, docs/protocol/cloud-events.md §5): handshake decision, the
 * blocking `connect` event, subprotocol choice, the 101 and `connected` frame, and the `connected`
 * event; or a recovery of a dropped reliable connection (docs/protocol/client-protocols.md §4.2). It also decides what a socket's close
 * means: a recoverable drop or the end of the connection.
 */

/** WebSocket frames above 1 MB are refused with MESSAGE_TOO_BIG (docs/protocol/client-protocols.md §7). */
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface ConnectFlowOptions {
  readonly keys: readonly string[];
  readonly registry: Registry;
  readonly dispatcher: EventDispatcher;
  readonly hubSettings: (hub: string) => ServiceHubSettings;
  readonly log: Log;
  readonly reliableLimits: ReliableLimits;
  /** docs/emulator-limits.md: one more connection of a user in a hub is refused with 429. */
  readonly maxConnectionsPerUser: number;
  /** `http://localhost:<port>`, known once the listener is bound. */
  readonly endpoint: () => string;
  readonly isShuttingDown: () => boolean;
  /** Invocation timeout and bound (docs/protocol/client-sdk-features.md §2); defaults when absent. */
  readonly invocations?: InvocationOptions;
  readonly connectionIds?: ConnectionIdPool;
}

/** What a socket close means for its connection (docs/protocol/client-protocols.md §4.2). */
export type SocketCloseOutcome = 'keep-for-recovery' | 'end';

/**
 * A reliable connection whose socket dropped stays recoverable; a deliberate close by the client
 * (1000, or no code as the SDK's stop() sends) or a protocol error ends it, as does any close of a
 * non-reliable connection.
 */
export function socketCloseOutcome(kind: ClientKind, code: number, protocolError: boolean): SocketCloseOutcome {
  return kind === 'reliable' && !protocolError && !isDeliberateClose(code) ? 'keep-for-recovery' : 'end';
}

/** The close reason passed on to the `disconnected` event. */
export function socketCloseReason(code: number, reason: string): string {
  if (reason !== '') return reason;
  return isDeliberateClose(code) ? '' : `connection lost (code ${code})`;
}

export class ConnectFlow {
  /** Every open socket, for keep-alive and for shutdown. */
  readonly transports = new Set<WsTransport>();
  /** Upgrades waiting for the connect event's reply: cut at shutdown. */
  readonly handshaking = new Set<Duplex>();
  /** Refused recoveries, closing with POLICY_VIOLATION: cut at shutdown if the peer never finishes the close. */
  readonly refused = new Set<WebSocket>();

  private readonly wss: WebSocketServer;
  private readonly sessions = new WeakMap<Connection, ClientSession>();
  private readonly scheduler = new FlushScheduler();
  private readonly keepAlive = new KeepAlive();
  private readonly ids: ConnectionIdPool;
  /** One object shared by every session (it was built per connection). */
  private readonly sessionServices: SessionServices;

  constructor(private readonly options: ConnectFlowOptions) {
    this.ids = options.connectionIds ?? new ConnectionIdPool();
    this.sessionServices = {
      registry: options.registry,
      dispatcher: options.dispatcher,
      hubSettings: options.hubSettings,
      log: options.log,
      ...(options.invocations ? { invocations: options.invocations } : {}),
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (_protocols, req) => selectedProtocol(req),
    });
  }

  /** Runs the handshake of a well-formed upgrade request (the upgrade screen checked its form). */
  async handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { keys, hubSettings, log } = this.options;
    const decision = decideHandshake(
      handshakeInputOf(req, { keys, endpoint: this.options.endpoint(), anonymousConnectPolicy: (hub) => hubSettings(hub).anonymousConnectPolicy }),
    );
    if (decision.kind === 'reject') return rejectDecidedUpgrade(log, req, socket, decision);
    if (decision.kind === 'recover') return this.recover(req, socket, head, decision);
    return this.connect(req, socket, head, decision);
  }

  /** Stops keep-alive pings and the WebSocket server (shutdown, after the sockets closed). */
  /** A connection ended for good: its session drops pending invocations and ends its open streams. */
  ended(conn: Connection): void {
    this.sessions.get(conn)?.dispose();
  }

  close(): void {
    this.keepAlive.close();
    this.wss.close();
  }

  private recover(req: IncomingMessage, socket: Duplex, head: Buffer, plan: RecoverRequestPlan): void {
    const { registry, log } = this.options;
    selectProtocol(req, plan.protocol ?? false);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // A lookup: a recovery attempt names any hub it likes, and must not create one (red-team item 3).
      const conn = registry.findConnection(plan.hub, plan.connectionId);
      const transport = conn && !conn.ended ? this.attach(conn, ws, socket) : undefined;
      if (!conn || !transport || !registry.recover(plan.hub, plan.connectionId, plan.reconnectionToken, transport)) {
        // docs/protocol/client-protocols.md §4.2 step 4: accept, then close so the SDK starts afresh at once.
        if (transport) this.transports.delete(transport);
        log(`recover-refused hub=${plan.hub} id=${logValue(plan.connectionId)}`);
        ws.on('error', () => {});
        this.refused.add(ws);
        ws.once('close', () => this.refused.delete(ws));
        ws.close(POLICY_VIOLATION, 'the connection cannot be recovered');
      }
    });
  }

  private async connect(req: IncomingMessage, socket: Duplex, head: Buffer, plan: ConnectRequestPlan): Promise<void> {
    const { dispatcher, log } = this.options;
    const hub = this.options.hubSettings(plan.hub);
    // Checked before the connect event (no upstream call for a refused client) and after it (the reply may set the user).
    const early = this.overUserLimit(plan.hub, plan.identity.userId);
    if (early !== undefined) {
      log(`reject ${pathOf(req)} 429: ${logValue(early)}`);
      return rejectUpgrade(socket, 429, early);
    }
    const connectionId = this.ids.next();
    let result: Awaited<ReturnType<EventDispatcher['dispatch']>> = { kind: 'no-handler' };
    if (dispatcher.hasHandler(hub, { kind: 'system', name: 'connect' })) {
      this.handshaking.add(socket);
      try {
        const event = connectEvent({ claims: plan.identity.claims, query: plan.query, headers: plan.headers, subprotocols: plan.offered });
        // docs/protocol/cloud-events.md §3: the connect event is ce-id 0; no subprotocol selected yet.
        result = await dispatcher.dispatch(hub, { hub: hub.name, connectionId, userId: plan.identity.userId, subprotocol: null, state: '' }, event, '0');
      } finally {
        this.handshaking.delete(socket);
      }
    }
    const outcome = applyConnectReply(result, plan.identity);
    if (!outcome.ok) {
      return rejectDecidedUpgrade(log, req, socket, outcome);
    }
    const choice = selectSubprotocol(plan.offered, outcome.subprotocol);
    if (!choice.ok) {
      return rejectDecidedUpgrade(log, req, socket, choice);
    }
    if (socket.destroyed || this.options.isShuttingDown()) {
      socket.destroy();
      return;
    }
    const late = this.overUserLimit(plan.hub, outcome.userId);
    if (late !== undefined) {
      log(`reject ${pathOf(req)} 429: ${logValue(late)}`);
      return rejectUpgrade(socket, 429, late);
    }
    selectProtocol(req, choice.protocol ?? false);
    // Corked so ws's 101 response and the `connected` frame (sent in the callback, which ws runs
    // synchronously) go out in one write.
    socket.cork();
    try {
      this.open(req, socket, head, plan, hub, connectionId, outcome, choice.protocol);
    } finally {
      socket.uncork();
    }
  }

  /** The message for a 429, or undefined while the user is under the limit (docs/emulator-limits.md). */
  private overUserLimit(hub: string, userId: string | null): string | undefined {
    const max = this.options.maxConnectionsPerUser;
    return userId !== null && this.options.registry.userConnectionCount(hub, userId) >= max ? tooManyConnectionsMessage(userId, max) : undefined;
  }

  private open(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    plan: ConnectRequestPlan,
    hub: ServiceHubSettings,
    connectionId: string,
    outcome: Extract<ReturnType<typeof applyConnectReply>, { ok: true }>,
    protocol: string | null,
  ): void {
    const { registry, dispatcher, keys, log } = this.options;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const kind = kindOfProtocol(protocol);
      const conn = new Connection(
        connectionId,
        hub.name,
        outcome.userId,
        protocol,
        kind,
        permissionsFromRoles(outcome.roles),
        plan.mode,
        kind === 'reliable' ? issueReconnectionToken(connectionId, keys[0]!) : undefined,
        this.options.reliableLimits,
      );
      if (outcome.state !== undefined) conn.state = outcome.state;
      this.sessions.set(conn, new ClientSession(conn, this.sessionServices));
      const transport = this.attach(conn, ws, socket);
      conn.transport = transport;
      registry.add(conn, outcome.groups);
      // docs/protocol/client-protocols.md §1: PubSub clients get system/connected first; simple clients get no system frames.
      if (kind !== 'simple') transport.sendNow(encodeConnected(connectionId, conn.userId, conn.reconnectionToken), false);
      log(
        `open hub=${hub.name} id=${connectionId} user=${logValue(conn.userId)} protocol=${logValue(protocol)}${kind === 'simple' ? ` mode=${conn.mode.name}` : ''}`,
        'traffic',
      );
      if (dispatcher.hasHandler(hub, { kind: 'system', name: 'connected' })) {
        // Non-blocking (docs/protocol/cloud-events.md §5): the reply is ignored; failures are only logged.
        dispatcher.dispatch(hub, conn.eventConnection(), connectedEvent(), conn.takeCeId()).catch((e: unknown) => {
          log(`upstream error: ${logValue(e instanceof Error ? e.message : String(e))}`);
        });
      }
    });
  }

  /** Wires a socket to a connection: frames in, keep-alive, and what the socket's close means. */
  private attach(conn: Connection, ws: WebSocket, socket: Duplex): WsTransport {
    const { registry, log } = this.options;
    const transport = new WsTransport(ws, socket, this.scheduler);
    transport.onBufferedChange = (bytes) => {
      if (conn.transport === transport) registry.account(conn, 'outbound', bytes);
    };
    this.transports.add(transport);
    this.keepAlive.add(transport, this.options.hubSettings(conn.hub).webSocketKeepAliveIntervalInSeconds * 1000);
    let protocolError: string | undefined;
    ws.on('message', (data, isBinary) => {
      if (conn.transport === transport) this.sessions.get(conn)?.receive(data as Buffer, isBinary);
    });
    // ws reports protocol errors (too large, bad UTF-8…) here, then closes the socket.
    ws.on('error', (e) => {
      protocolError = e.message;
    });
    ws.on('close', (code, reasonBytes) => {
      this.transports.delete(transport);
      this.keepAlive.remove(transport);
      if (conn.transport !== transport || conn.ended) return; // superseded, or ended by the service
      if (socketCloseOutcome(conn.kind, code, protocolError !== undefined) === 'keep-for-recovery') {
        log(`drop hub=${conn.hub} id=${conn.connectionId} code=${code}: recoverable for ${registry.recoveryWindowMs} ms`);
        registry.dropped(conn);
        return;
      }
      conn.transport = null;
      registry.end(conn, { code, reason: protocolError ?? socketCloseReason(code, reasonBytes.toString('utf8')) });
    });
    return transport;
  }
}
