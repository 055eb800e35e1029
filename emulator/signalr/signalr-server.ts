import { trafficIf, type Log } from '../log';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeProtectedHeader } from 'jose';
import { WebSocketServer } from 'ws';
import { ServiceError } from '../core/service-errors';
import { LocalAuthority, type SigningMaterial } from '../entra/authority';
import { createEntraTokenVerifier } from '../entra/data-plane-auth';
import { handleEntraRequest } from '../entra/entra-routes';
import { SIGNALR_RESOURCE, type EntraSettings } from '../entra/entra-settings';
import { createServiceTokenSource } from '../entra/service-token-source';
import { ClientTokenError, verifyClientToken } from './client-token';
import { corsHeaders, preflightHeaders } from './cors';
import { EncodedHubMessage } from './encoded-hub-message';
import { jsonHubProtocol } from './json-hub-protocol';
import type { HubMessage, InvocationMessage } from './hub-messages';
import { HubRegistry } from './hub-registry';
import { messagePackHubProtocol } from './msgpack-hub-protocol';
import { verifyRestToken } from './rest-auth';
import { matchRestRoute, isValidHubName, SUPPORTED_API_VERSIONS, type RestOperation } from './rest-routes';
import { ServiceConnection, type ConnectionEvents, type TransportSink } from './service-connection';
import { LongPollingTransport, serverSentEventsTransport, webSocketTransport } from './transports';
import { dataActionOf, refuseSignalRAction, type SignalRDataAction } from './signalr-permissions';
import { TemporaryAccessKeys } from './temporary-access-keys';
import { GenerateTokenError, generateSignalRClientToken, parseMinutesToExpire } from './generated-client-token';
import { UpstreamClient, type UpstreamEvent } from './upstream-client';
import type { UpstreamRule } from './upstream-rules';

/**
 * The local Azure SignalR Service in Serverless mode: the client endpoint (`/client/negotiate`, then
 * WebSockets, Server-Sent Events or Long Polling on `/client/`), the data-plane REST API under
 * `/api/hubs/…`, and upstream events to an event handler. Its own listener, so it can run beside the
 * Web PubSub emulator (whose REST paths look the same) or alone.
 */

export interface SignalREmulatorOptions {
  /** Default 8081; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Access keys, primary first: tokens may be signed with any; upstream signatures use all. Unused with disableLocalAuth. */
  readonly keys: readonly string[];
  /** Upstream URL template by hub name (`*` for every hub); may contain {hub}, {category}, {event}. Managed-identity auth comes through upstreamRules. */
  readonly upstreams?: Readonly<Record<string, string>>;
  /** Ordered upstream templates with hub, category and event patterns, tried first (docs/protocol/signalr.md §5.5). */
  readonly upstreamRules?: readonly UpstreamRule[];
  /** https and wss only, with this certificate. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** The resource's `disableLocalAuth`: access keys are refused (REST and clients), upstream requests are not signed. */
  readonly disableLocalAuth?: boolean;
  /** A Microsoft Entra authority shared with the Web PubSub emulator running beside this one. */
  readonly authority?: LocalAuthority;
  /** Or an authority of its own (SignalR Service alone): its discovery documents and managed-identity endpoint are served here. */
  readonly entra?: { readonly settings: EntraSettings; readonly signing: SigningMaterial };
  readonly upstreamTimeoutMs?: number;
  /** Service pings. Default 15 000 (the clients' default server timeout is 30 s). */
  readonly keepAliveMs?: number;
  /** Default 30 000 (the clients ping every 15 s). */
  readonly clientTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  /** Long polls are answered empty after this. Default 20 000. */
  readonly pollMs?: number;
  readonly log?: Log;
}

export interface RunningSignalREmulator {
  readonly port: number;
  /** `http(s)://localhost:<port>` */
  readonly endpoint: string;
  /** The local Microsoft Entra authority (shared or own), when there is one. */
  readonly authority?: LocalAuthority;
  /** `Endpoint=http://localhost;Port=<port>;AccessKey=<primary>;Version=1.0;` */
  readonly connectionString: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export async function startSignalREmulator(options: SignalREmulatorOptions): Promise<RunningSignalREmulator> {
  const localAuthDisabled = options.disableLocalAuth === true;
  // With local auth disabled the access keys are gone: nothing is signed or accepted with them.
  const keys = localAuthDisabled ? [] : [...options.keys];
  if (keys.length === 0 && !localAuthDisabled) throw new Error('the SignalR emulator needs at least one access key');
  const log = options.log ?? (() => undefined);
  const registry = new HubRegistry<ServiceConnection>();
  const byToken = new Map<string, ServiceConnection>();
  let endpoint = '';
  const authority = options.authority ?? (options.entra ? new LocalAuthority(options.entra.settings, options.entra.signing, () => endpoint) : undefined);
  const ownAuthority = options.authority === undefined && authority !== undefined;
  const entraVerify = authority ? createEntraTokenVerifier(authority, SIGNALR_RESOURCE) : undefined;
  const temporaryKeys = new TemporaryAccessKeys();
  const upstream = new UpstreamClient({
    keys,
    templates: new Map(Object.entries(options.upstreams ?? {}).map(([hub, t]) => [hub.toLowerCase(), { urlTemplate: t }] as const)),
    ...(options.upstreamRules ? { rules: options.upstreamRules } : {}),
    ...(authority
      ? {
          identityToken: createServiceTokenSource(
            authority,
            (t, resource) => log(`entra issued a token of the SignalR Service identity for ${resource}: ver=${t.version}.0 aud=${t.audience}`),
            undefined,
            authority.settings.signalRIdentity,
          ),
        }
      : {}),
    timeoutMs: options.upstreamTimeoutMs ?? 100_000,
    log,
  });

  /**
   * The keys a client token may be signed with (docs/protocol/signalr.md §6.2): the temporary key its
   * `kid` names, else the access keys (none when local auth is disabled).
   */
  const clientKeysFor = (token: string): readonly string[] => {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return [];
    }
    const temporary = temporaryKeys.keyFor(kid);
    return temporary !== undefined ? [temporary] : keys;
  };
  const verifyClient = async (token: string, hub: string) => {
    const candidates = clientKeysFor(token);
    if (candidates.length === 0)
      throw new ClientTokenError(
        localAuthDisabled
          ? 'Local auth is disabled (disableLocalAuth): the token must be signed with a temporary key from /api/auth/accessKey or come from :generateToken.'
          : 'The access token is not valid (signature, algorithm or claims).',
      );
    return verifyClientToken(token, hub, candidates);
  };

  /**
   * REST and auth API callers (docs/protocol/signalr.md §1.3, §6.1): a Microsoft Entra token (RS256)
   * whose principal holds a role granting the action, or, with local auth, an access-key token.
   */
  async function authenticateRest(authorization: string | undefined, pathname: string, action: SignalRDataAction): Promise<void> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new RestError(401, 'Missing Authorization: Bearer <token>.');
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(m[1]!).alg;
    } catch {
      throw new RestError(401, 'The bearer token is not a JWT.');
    }
    if (alg === 'RS256' && entraVerify && authority) {
      let principal;
      try {
        principal = await entraVerify(m[1]!);
      } catch (e) {
        if (e instanceof ServiceError) throw new RestError(e.status, e.message, e.headers ?? {});
        throw e;
      }
      const refusal = refuseSignalRAction(principal.oid, action, authority.settings.roleAssignments);
      if (refusal !== undefined) throw new RestError(403, refusal);
      return;
    }
    if (localAuthDisabled)
      throw new RestError(401, 'Local auth is disabled (disableLocalAuth): use a Microsoft Entra token for https://signalr.azure.com.', {
        'www-authenticate': 'Bearer error="invalid_token", error_description="Local auth is disabled (disableLocalAuth)"',
      });
    if (action === 'auth/accessKey') throw new RestError(401, 'The temporary access key is only given to Microsoft Entra callers.');
    const problem = await verifyRestToken(authorization, pathname, keys);
    if (problem) throw new RestError(401, problem);
  }
  const timings = {
    keepAliveMs: options.keepAliveMs ?? 15_000,
    clientTimeoutMs: options.clientTimeoutMs ?? 30_000,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15_000,
  };
  const pollMs = options.pollMs ?? 20_000;
  /** Upstream calls of one connection run in order, so `join` is handled before the `message` after it. */
  const queues = new WeakMap<ServiceConnection, Promise<unknown>>();
  const enqueue = (conn: ServiceConnection, work: () => Promise<unknown>): void => {
    const next = (queues.get(conn) ?? Promise.resolve())
      .then(work)
      .catch((e: unknown) => log(`signalr upstream error: ${e instanceof Error ? e.message : String(e)}`));
    queues.set(conn, next);
  };
  const eventOf = (conn: ServiceConnection, category: UpstreamEvent['category'], event: string, body: Uint8Array, binary: boolean): UpstreamEvent => ({
    hub: conn.hub,
    category,
    event,
    connectionId: conn.connectionId,
    ...(conn.userId !== undefined ? { userId: conn.userId } : {}),
    claims: conn.claims,
    clientQuery: conn.clientQuery,
    contentType: binary ? 'application/x-msgpack' : 'application/json',
    body,
  });

  const events: ConnectionEvents = {
    onOpen(conn) {
      registry.add(conn);
      log(`signalr open hub=${conn.hub} id=${conn.connectionId} transport=${conn.transport?.kind} protocol=${conn.protocol?.name}`, 'traffic');
      enqueue(conn, () => upstream.send(eventOf(conn, 'connections', 'connected', new Uint8Array(0), false)));
    },
    onInvocation(conn, message) {
      enqueue(conn, () => invokeUpstream(conn, message));
    },
    onEnded(conn, error, wasOpen) {
      byToken.delete(conn.connectionToken);
      registry.remove(conn);
      log(`signalr close hub=${conn.hub} id=${conn.connectionId}${error ? ` error=${JSON.stringify(error)}` : ''}`, error ? undefined : 'traffic');
      if (!wasOpen || shuttingDown) return;
      const body = new TextEncoder().encode(JSON.stringify({ type: 7, error: error ?? '' }));
      enqueue(conn, () => upstream.send(eventOf(conn, 'connections', 'disconnected', body, false)));
    },
  };

  /** Forwards an invocation; for `invoke` (with an id) the upstream's answer becomes the completion. */
  async function invokeUpstream(conn: ServiceConnection, message: InvocationMessage): Promise<void> {
    const protocol = conn.protocol!;
    const binary = protocol.name === 'messagepack';
    // The body is the invocation as the client framed it in its own protocol (without headers).
    const forwarded: HubMessage = {
      type: 1,
      ...(message.invocationId !== undefined ? { invocationId: message.invocationId } : {}),
      target: message.target,
      arguments: message.arguments,
    };
    const body = binary ? protocol.write(forwarded) : new TextEncoder().encode(JSON.stringify(forwarded));
    let error: string | undefined;
    let completion: HubMessage | undefined;
    try {
      const response = await upstream.send(eventOf(conn, 'messages', message.target, body, binary));
      if (response === undefined) error = `No upstream is configured for hub '${conn.hub}'.`;
      else if (response.status < 200 || response.status > 299) error = `The upstream answered ${response.status}.`;
      else if (response.body.length > 0 && message.invocationId !== undefined) completion = parseCompletion(response.body, binary);
    } catch (e) {
      error = `The upstream could not be reached: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (message.invocationId === undefined) return;
    if (error !== undefined) conn.send({ type: 3, invocationId: message.invocationId, error });
    else if (completion?.type === 3) conn.send({ ...completion, invocationId: message.invocationId });
    else conn.send({ type: 3, invocationId: message.invocationId });
  }

  function parseCompletion(body: Uint8Array, binary: boolean): HubMessage | undefined {
    try {
      if (binary) return messagePackHubProtocol.parse(body)[0];
      const framed = body[body.length - 1] === 0x1e ? body : Buffer.concat([body, Buffer.from([0x1e])]);
      return jsonHubProtocol.parse(framed)[0];
    } catch {
      return undefined;
    }
  }

  let shuttingDown = false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });

  /** The token from `Authorization: Bearer` or (browsers' WebSockets and SSE) `access_token`. */
  const tokenOf = (req: http.IncomingMessage, url: URL): string | undefined => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return m?.[1] ?? url.searchParams.get('access_token') ?? undefined;
  };

  /** The connection a transport request names, after checking its token is for the same hub and user. */
  async function transportConnection(req: http.IncomingMessage, url: URL): Promise<ServiceConnection | RestError> {
    const hub = url.searchParams.get('hub') ?? '';
    const token = tokenOf(req, url);
    if (!token) return new RestError(401, 'An access token is required.');
    let identity;
    try {
      identity = await verifyClient(token, hub);
    } catch (e) {
      return new RestError(401, e instanceof ClientTokenError ? e.message : 'Unauthorized.');
    }
    const conn = byToken.get(url.searchParams.get('id') ?? '');
    if (!conn || conn.hub.toLowerCase() !== hub.toLowerCase() || conn.userId !== identity.userId) return new RestError(404, 'No connection with this id.');
    return conn;
  }

  async function negotiate(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const hub = url.searchParams.get('hub') ?? '';
    if (!isValidHubName(hub)) throw new RestError(400, 'The hub query parameter is missing or not a valid hub name.');
    const token = tokenOf(req, url);
    if (!token) throw new RestError(401, 'An access token is required (Authorization: Bearer <token>).');
    let identity;
    try {
      identity = await verifyClient(token, hub);
    } catch (e) {
      throw new RestError(401, e instanceof ClientTokenError ? e.message : 'Unauthorized.');
    }
    const connectionId = randomBytes(16).toString('base64url');
    const connectionToken = randomBytes(24).toString('base64url');
    const query = new URLSearchParams(url.searchParams);
    for (const k of ['access_token', 'negotiateVersion', 'id']) query.delete(k);
    const conn = new ServiceConnection(connectionId, connectionToken, hub, identity.userId, identity.claims, query.toString(), events, timings);
    byToken.set(connectionToken, conn);
    const version = Number(url.searchParams.get('negotiateVersion') ?? '0') >= 1 ? 1 : 0;
    sendJson(res, 200, {
      negotiateVersion: version,
      connectionId,
      ...(version >= 1 ? { connectionToken } : {}),
      availableTransports: [
        { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
        { transport: 'ServerSentEvents', transferFormats: ['Text'] },
        { transport: 'LongPolling', transferFormats: ['Text', 'Binary'] },
      ],
    });
    if (version === 0) {
      // Version 0 clients use the connection id in transport URLs.
      byToken.delete(connectionToken);
      byToken.set(connectionId, conn);
      (conn as { connectionToken: string }).connectionToken = connectionId;
    }
  }

  async function clientRequest(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const found = await transportConnection(req, url);
    if (found instanceof RestError) throw found;
    const conn = found;
    if (req.method === 'GET' && /text\/event-stream/.test(req.headers.accept ?? '')) {
      if (!conn.attach(serverSentEventsTransport(res, conn))) throw new RestError(409, 'This connection already has a transport.');
      return;
    }
    if (req.method === 'GET') {
      if (conn.transport === undefined) {
        const lp = new LongPollingTransport(pollMs);
        conn.attach(lp);
        // The first poll only confirms the connection (the clients expect an immediate answer).
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end();
        return;
      }
      if (!(conn.transport instanceof LongPollingTransport)) throw new RestError(409, 'This connection uses another transport.');
      conn.transport.poll(res);
      return;
    }
    if (req.method === 'POST') {
      if (conn.transport === undefined || conn.transport.kind === 'WebSockets') throw new RestError(409, 'Open the transport before sending.');
      const body = await readBody(req);
      conn.receive(body);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end();
      return;
    }
    if (req.method === 'DELETE') {
      conn.end();
      res.writeHead(202, { 'Content-Type': 'text/plain' }).end();
      return;
    }
    throw new RestError(405, 'Method not allowed.');
  }

  async function rest(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const match = matchRestRoute(req.method ?? 'GET', url.pathname);
    if (match.kind === 'health') return void res.writeHead(200).end();
    if (match.kind === 'not-found') throw new RestError(404, 'No such REST operation.');
    if (match.kind === 'method-not-allowed') {
      res
        .writeHead(405, { Allow: match.allow.join(', '), 'Content-Type': 'application/json' })
        .end(JSON.stringify({ code: 'MethodNotAllowed', message: 'Method not allowed.' }));
      return;
    }
    const version = url.searchParams.get('api-version');
    if (version === null || !SUPPORTED_API_VERSIONS.includes(version))
      throw new RestError(400, `api-version must be one of ${SUPPORTED_API_VERSIONS.join(', ')}.`);
    if (match.kind === 'access-key') {
      await authenticateRest(req.headers.authorization, url.pathname, 'auth/accessKey');
      sendJson(res, 200, temporaryKeys.issue());
      log('signalr auth accessKey -> 200 (a temporary key, valid 90 minutes)');
      return;
    }
    const op = match.operation;
    await authenticateRest(req.headers.authorization, url.pathname, dataActionOf(op.op));
    if (op.op === 'generateToken') {
      sendJson(res, 200, { token: await generateClientToken(op.hub, url) });
      log(`signalr rest generateToken hub=${op.hub} -> 200`);
      return;
    }
    const status = await runOperation(op, req, url);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end();
    // Sends are the hot path (one line per message would cost more than the message); the rest is logged.
    if (!op.op.startsWith('sendTo')) log(`signalr rest ${op.op} hub=${op.hub} -> ${status}`, trafficIf(status));
  }

  /** `:generateToken` (docs/protocol/signalr.md §6.2): a client token signed with a temporary key, named by `kid`. */
  async function generateClientToken(hub: string, url: URL): Promise<string> {
    let minutesToExpire: number;
    try {
      minutesToExpire = parseMinutesToExpire(url.searchParams.get('minutesToExpire'));
    } catch (e) {
      throw e instanceof GenerateTokenError ? new RestError(400, e.message) : e;
    }
    const userId = url.searchParams.get('userId');
    return generateSignalRClientToken(temporaryKeys, { endpoint, hub, ...(userId ? { userId } : {}), minutesToExpire });
  }

  async function readInvocation(req: http.IncomingMessage): Promise<HubMessage> {
    const body = await readBody(req);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      throw new RestError(400, 'The body must be JSON: { "target": "...", "arguments": [...] }.');
    }
    const { target, arguments: args } = (value ?? {}) as { target?: unknown; arguments?: unknown };
    if (typeof target !== 'string' || target === '') throw new RestError(400, 'The body needs a non-empty "target" string.');
    if (args !== undefined && !Array.isArray(args)) throw new RestError(400, '"arguments" must be an array.');
    return { type: 1, target, arguments: (args as unknown[] | undefined) ?? [] };
  }

  /** Every REST operation but `:generateToken`, which answers a token rather than a status (rest() sends it). */
  async function runOperation(op: Exclude<RestOperation, { op: 'generateToken' }>, req: http.IncomingMessage, url: URL): Promise<number> {
    const excluded = new Set(url.searchParams.getAll('excluded'));
    const deliver = async (targets: ServiceConnection[]): Promise<number> => {
      const message = new EncodedHubMessage(await readInvocation(req));
      for (const c of targets) if (!excluded.has(c.connectionId)) c.send(message);
      return 202;
    };
    const exists = (yes: boolean): number => (yes ? 200 : 404);
    const reason = url.searchParams.get('reason') ?? undefined;
    const closeAll = (targets: ServiceConnection[]): number => {
      for (const c of targets) if (!excluded.has(c.connectionId)) c.close(reason);
      return 204;
    };
    switch (op.op) {
      case 'sendToAll':
        return deliver(registry.all(op.hub));
      case 'sendToUser':
        return deliver(registry.ofUser(op.hub, op.user));
      case 'sendToGroup':
        return deliver(registry.ofGroup(op.hub, op.group));
      case 'sendToConnection':
        return deliver(registry.connection(op.hub, op.connectionId) ? [registry.connection(op.hub, op.connectionId)!] : []);
      case 'connectionExists':
        return exists(registry.connection(op.hub, op.connectionId) !== undefined);
      case 'groupExists':
        return exists(registry.ofGroup(op.hub, op.group).length > 0);
      case 'userExists':
        return exists(registry.ofUser(op.hub, op.user).length > 0);
      case 'closeConnection': {
        const c = registry.connection(op.hub, op.connectionId);
        c?.close(reason);
        return 200;
      }
      case 'addConnectionToGroup':
        if (!registry.addToGroup(op.hub, op.group, op.connectionId)) throw new RestError(404, 'The connection is not connected to this hub.');
        return 200;
      case 'removeConnectionFromGroup':
        registry.removeFromGroup(op.hub, op.group, op.connectionId);
        return 200;
      case 'removeConnectionFromAllGroups':
        registry.removeFromAllGroups(op.hub, op.connectionId);
        return 200;
      case 'addUserToGroup':
        registry.addUserToGroup(op.hub, op.group, op.user);
        return 200;
      case 'removeUserFromGroup':
        registry.removeUserFromGroup(op.hub, op.group, op.user);
        return 200;
      case 'removeUserFromAllGroups':
        registry.removeUserFromAllGroups(op.hub, op.user);
        return 200;
      case 'userInGroup':
        return exists(registry.isUserInGroup(op.hub, op.group, op.user));
      case 'closeAll':
        return closeAll(registry.all(op.hub));
      case 'closeGroup':
        return closeAll(registry.ofGroup(op.hub, op.group));
      case 'closeUser':
        return closeAll(registry.ofUser(op.hub, op.user));
    }
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/client/negotiate' || url.pathname === '/client' || url.pathname === '/client/') {
      // Pages of the app's origin call the client endpoint from the browser.
      if (req.method === 'OPTIONS') return void res.writeHead(204, preflightHeaders(req.headers.origin, req.headers['access-control-request-headers'])).end();
      for (const [name, value] of Object.entries(corsHeaders(req.headers.origin))) res.setHeader(name, value);
    }
    const work =
      url.pathname === '/client/negotiate' && req.method === 'POST'
        ? negotiate(req, res, url)
        : url.pathname === '/client' || url.pathname === '/client/'
          ? clientRequest(req, res, url)
          : rest(req, res, url);
    work.catch((e: unknown) => {
      const status = e instanceof RestError ? e.status : 500;
      const message = e instanceof RestError ? e.message : 'Internal error.';
      if (!(e instanceof RestError)) log(`signalr internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) {
        for (const [name, value] of Object.entries(e instanceof RestError ? e.headers : {})) res.setHeader(name, value);
        sendJson(res, status, {
          code: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : status === 400 ? 'BadRequest' : 'Error',
          message,
        });
      } else res.end();
    });
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, message: string): void => {
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
      );
    };
    if (shuttingDown) return refuse(503, 'Shutting down.');
    if (url.pathname !== '/client' && url.pathname !== '/client/') return refuse(404, 'Not found.');
    transportConnection(req, url).then(
      (found) => {
        if (found instanceof RestError) return refuse(found.status, found.message);
        if (found.transport !== undefined) return refuse(409, 'This connection already has a transport.');
        wss.handleUpgrade(req, socket, head, (ws) => {
          const sink: TransportSink = webSocketTransport(ws, found);
          if (!found.attach(sink)) ws.close(1008, 'This connection already has a transport.');
        });
      },
      () => refuse(500, 'Internal error.'),
    );
  };

  const handler = ownAuthority
    ? (req: http.IncomingMessage, res: http.ServerResponse) => void (handleEntraRequest(req, res, authority!, log) || onRequest(req, res))
    : onRequest;
  const serverOptions = { keepAliveTimeout: 5000, headersTimeout: 20_000, requestTimeout: 60_000 };
  const tls = options.tls;
  const server = tls ? https.createServer({ ...serverOptions, cert: tls.cert, key: tls.key }, handler) : http.createServer(serverOptions, handler);
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8081, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `${tls ? 'https' : 'http'}://localhost:${port}`;
  return {
    port,
    endpoint,
    ...(authority ? { authority } : {}),
    connectionString: localAuthDisabled
      ? `Endpoint=${tls ? 'https' : 'http'}://localhost;Port=${port};Version=1.0;`
      : `Endpoint=${tls ? 'https' : 'http'}://localhost;Port=${port};AccessKey=${keys[0]};Version=1.0;`,
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      for (const conn of [...byToken.values()]) conn.close('The service is shutting down.', true);
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(value));
}

function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RestError(413, 'The body is larger than 1 MB.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
