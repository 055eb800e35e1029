import { isServiceError, UnauthorizedError } from '../core/service-errors';
import { ANONYMOUS, clientAudiences, verifyClientToken, type TokenIdentity } from '../auth/client-token-verifier';
import { isValidGroupName, isValidHubName } from '../core/name-rules';
import { parseRequestTarget, type ParsedTarget } from '../http/request-target';
import { isProtobufProtocol, JSON_PROTOCOL, parseOfferedProtocols, RELIABLE_JSON_PROTOCOL, selectSubprotocol } from './client-kind';

/** What the client asked for on the upgrade request, already authenticated. */
export interface ConnectRequestPlan {
  readonly kind: 'connect';
  readonly hub: string;
  readonly offered: readonly string[];
  readonly identity: TokenIdentity;
  /** Simple clients (docs/protocol/client-protocols.md §2). */
  readonly mode: SimpleMode;
  /** `query` for the connect event: every parameter but `access_token` (docs/protocol/cloud-events.md §6). */
  readonly query: Record<string, string[]>;
  /** `headers` for the connect event: every header but `Authorization`. */
  readonly headers: Record<string, string[]>;
}

export type SimpleMode = { readonly name: 'sendEvent' } | { readonly name: 'sendToGroup'; readonly group: string; readonly noEcho: boolean };

/** docs/protocol/client-protocols.md §4.2: a reconnect of a reliable connection. The token is checked by the registry. */
export interface RecoverRequestPlan {
  readonly kind: 'recover';
  readonly hub: string;
  readonly connectionId: string;
  readonly reconnectionToken: string;
  /** The subprotocol to echo (the client offers the one it used). */
  readonly protocol: string | null;
}

export type HandshakeDecision = ConnectRequestPlan | RecoverRequestPlan | { kind: 'reject'; status: number; message: string };

export interface HandshakeInput {
  /** `req.url`: path and query. */
  readonly url: string;
  /** Node's `req.rawHeaders`: name, value, name, value… */
  readonly rawHeaders: readonly string[];
  /** The `Host` header. */
  readonly host: string | undefined;
  readonly keys: readonly string[];
  /** The configured endpoint, e.g. `http://localhost:8080`, also accepted as token audience. */
  readonly endpoint: string;
  readonly anonymousConnectPolicy: (hub: string) => 'allow' | 'deny';
  readonly now?: number;
}

/** The hub a client URL names, or null when the path is not a client endpoint (docs/protocol/auth.md §2). */
export function hubOfClientUrl(url: ParsedTarget): string | null {
  const m = /^\/client\/hubs\/([^/]+)\/?$/.exec(url.pathname);
  if (m) {
    try {
      return decodeURIComponent(m[1]!);
    } catch {
      return '';
    }
  }
  if (url.pathname === '/client' || url.pathname === '/client/') return url.searchParams.get('hub') ?? '';
  return null;
}

/**
 * Decides what to do with a client upgrade request before any upstream call (docs/protocol/client-protocols.md §1,
 * docs/protocol/auth.md §2–3). Pure: no sockets, no clocks unless `now` is omitted.
 */
export function decideHandshake(input: HandshakeInput): HandshakeDecision {
  const url = parseRequestTarget(input.url);
  if (url === undefined) return { kind: 'reject', status: 400, message: 'the request URL is not valid' };
  const hub = hubOfClientUrl(url);
  if (hub === null) return { kind: 'reject', status: 404, message: 'not a client endpoint; use /client/hubs/<hub>' };
  if (!isValidHubName(hub)) return { kind: 'reject', status: 400, message: 'invalid hub name' };
  const offered = parseOfferedProtocols(rawHeaderValues(input.rawHeaders, 'sec-websocket-protocol')?.join(','));
  const q = url.searchParams;

  // docs/protocol/client-protocols.md §4.2: recovery does not validate access_token (it may have expired).
  const recoverId = q.get('awps_connection_id');
  const recoverToken = q.get('awps_reconnection_token');
  if (recoverId !== null || recoverToken !== null) {
    return { kind: 'recover', hub, connectionId: recoverId ?? '', reconnectionToken: recoverToken ?? '', protocol: offered[0] ?? null };
  }

  if (offered.length > 0 && offered.every(isProtobufProtocol)) {
    const choice = selectSubprotocol(offered);
    if (!choice.ok) return { kind: 'reject', status: choice.status, message: choice.message };
  }

  let identity: TokenIdentity;
  try {
    identity = identify(input, hub, q.get('access_token'));
  } catch (e) {
    if (isServiceError(e)) return { kind: 'reject', status: e.status, message: e.message };
    throw e;
  }

  // The mode only matters for simple clients; a JSON client's stray webpubsub_mode is ignored.
  const mode = offered.some((p) => p === JSON_PROTOCOL || p === RELIABLE_JSON_PROTOCOL) ? SEND_EVENT : decideSimpleMode(q);
  if ('status' in mode) return { kind: 'reject', status: mode.status, message: mode.message };
  return new ConnectPlan(hub, offered, identity, mode, q, input.rawHeaders);
}

const SEND_EVENT: SimpleMode = Object.freeze({ name: 'sendEvent' });

/**
 * `query` and `headers` only feed the connect event, and most hubs have no connect handler: they are
 * built on first read rather than on every upgrade (they were a visible share of a connect storm). The
 * getters live on the class: getters in an object literal are defined anew per object, a runtime call
 * per upgrade.
 */
class ConnectPlan implements ConnectRequestPlan {
  readonly kind = 'connect';
  readonly #searchParams: URLSearchParams;
  readonly #rawHeaders: readonly string[];
  #query: Record<string, string[]> | undefined;
  #headers: Record<string, string[]> | undefined;

  constructor(
    readonly hub: string,
    readonly offered: readonly string[],
    readonly identity: TokenIdentity,
    readonly mode: SimpleMode,
    searchParams: URLSearchParams,
    rawHeaders: readonly string[],
  ) {
    this.#searchParams = searchParams;
    this.#rawHeaders = rawHeaders;
  }

  get query(): Record<string, string[]> {
    return (this.#query ??= connectQuery(this.#searchParams));
  }

  get headers(): Record<string, string[]> {
    return (this.#headers ??= connectHeaders(this.#rawHeaders));
  }
}

/** docs/protocol/cloud-events.md §6: every query parameter but `access_token`, values as arrays. */
export function connectQuery(q: URLSearchParams): Record<string, string[]> {
  // Null prototype: query names and header names are client-controlled ("constructor", "__proto__").
  const query = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of q) if (k !== 'access_token') (query[k] ??= []).push(v);
  return query;
}

function identify(input: HandshakeInput, hub: string, queryToken: string | null): TokenIdentity {
  // The query token wins; the Authorization header is only looked up when there is none.
  const token = queryToken || bearerToken(rawHeaderValues(input.rawHeaders, 'authorization')?.[0]) || '';
  if (token === '') {
    // docs/protocol/auth.md §2: without a token only hubs with anonymousConnectPolicy "allow" accept the client.
    if (input.anonymousConnectPolicy(hub) === 'allow') return ANONYMOUS;
    throw new UnauthorizedError('an access token is required (access_token query parameter or Authorization: Bearer header)');
  }
  return verifyClientToken(token, {
    keys: input.keys,
    audiences: audiencesFor(hub, input.host, input.endpoint),
    ...(input.now !== undefined ? { now: input.now } : {}),
  });
}

/**
 * clientAudiences per (hub, Host, endpoint). The set depends only on those three and was rebuilt (URL
 * parse, regex, a dozen strings) on every upgrade; in practice a handful of combinations occur. Host is
 * client-controlled, so the cache is bounded and simply starts over when full.
 */
const audienceCache = new Map<string, ReadonlySet<string>>();
const MAX_CACHED_AUDIENCES = 256;

function audiencesFor(hub: string, host: string | undefined, endpoint: string): ReadonlySet<string> {
  // Hub names and hosts cannot contain a newline that reaches here (hub names are validated; Node rejects it in headers).
  const cacheKey = `${hub}\n${host ?? ''}\n${host === undefined ? 0 : 1}\n${endpoint}`;
  let set = audienceCache.get(cacheKey);
  if (set === undefined) {
    if (audienceCache.size >= MAX_CACHED_AUDIENCES) audienceCache.clear();
    set = clientAudiences({ hub, requestHost: host, endpoint });
    audienceCache.set(cacheKey, set);
  }
  return set;
}

/** docs/protocol/client-protocols.md §2: `webpubsub_mode` and `group` for simple clients; a bad value is a 400. */
export function decideSimpleMode(q: URLSearchParams): SimpleMode | { status: number; message: string } {
  const mode = q.get('webpubsub_mode');
  if (mode === null || mode.toLowerCase() === 'sendevent') return { name: 'sendEvent' };
  if (mode.toLowerCase() !== 'sendtogroup') return { status: 400, message: 'webpubsub_mode must be sendEvent or sendToGroup' };
  const groups = q.getAll('group');
  if (groups.length !== 1 || !isValidGroupName(groups[0]))
    return { status: 400, message: 'webpubsub_mode=sendToGroup needs exactly one valid group parameter' };
  return { name: 'sendToGroup', group: groups[0]!, noEcho: (q.get('noEcho') ?? '').toLowerCase() === 'true' };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization && /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
}

/** Every value of header `lower` (a lower-case name), in order; undefined when absent. No map is built per upgrade. */
export function rawHeaderValues(raw: readonly string[], lower: string): string[] | undefined {
  let values: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lower.length && name.toLowerCase() === lower) (values ??= []).push(raw[i + 1]!);
  }
  return values;
}

/** docs/protocol/cloud-events.md §6: headers as sent (first spelling wins), values as arrays, without Authorization. */
export function connectHeaders(raw: readonly string[]): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue;
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    (out[key] ??= []).push(raw[i + 1]!);
  }
  return out;
}
