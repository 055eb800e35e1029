import { BadRequestError, NotFoundError } from '../core/service-errors';
import { checkApiVersion } from './api-version';
import { compileFilter } from './filter';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeContinuationToken } from './pagination';
import { clip, parseGroup, parseHub, parseInteger, parseNonEmpty, parsePermission, parseTokenUserId } from './parameters';
import { MAX_MINUTES_TO_EXPIRE } from './generate-token';
import { InvalidParameterError, MethodNotAllowedError } from './request-errors';
import type { OperationName, RestOperation } from './rest-operation';

/**
 * Pure routing of the data plane (docs/protocol/rest-api.md §2): method + path + query → a typed, validated operation.
 * Two steps so the edge can authenticate in between: `matchRoute` (404/405, no auth needed) and
 * `buildOperation` (400 on bad parameters). `routeRequest` does both.
 */

interface Route {
  readonly method: string;
  /** Segments after `/api/`; `{x}` is a parameter, anything else (including `:send`) is literal. */
  readonly pattern: readonly string[];
  /** Per segment: the parameter name, or null for a literal. */
  readonly params: readonly (string | null)[];
  /** Per segment: the lower-case literal (unused for parameters). */
  readonly literals: readonly string[];
  readonly literalCount: number;
  readonly name: OperationName;
}

const ROUTES: readonly Route[] = (
  [
    ['HEAD', 'health', 'health'],
    ['GET', 'health', 'health'],
    ['POST', 'hubs/{hub}/:send', 'sendToAll'],
    ['POST', 'hubs/{hub}/users/{userId}/:send', 'sendToUser'],
    ['POST', 'hubs/{hub}/connections/{connectionId}/:send', 'sendToConnection'],
    ['POST', 'hubs/{hub}/groups/{group}/:send', 'sendToGroup'],
    ['HEAD', 'hubs/{hub}/connections/{connectionId}', 'connectionExists'],
    ['DELETE', 'hubs/{hub}/connections/{connectionId}', 'closeConnection'],
    ['POST', 'hubs/{hub}/:closeConnections', 'closeAllConnections'],
    ['POST', 'hubs/{hub}/users/{userId}/:closeConnections', 'closeUserConnections'],
    ['POST', 'hubs/{hub}/groups/{group}/:closeConnections', 'closeGroupConnections'],
    ['HEAD', 'hubs/{hub}/groups/{group}', 'groupExists'],
    ['HEAD', 'hubs/{hub}/users/{userId}', 'userExists'],
    ['PUT', 'hubs/{hub}/groups/{group}/connections/{connectionId}', 'addConnectionToGroup'],
    ['DELETE', 'hubs/{hub}/groups/{group}/connections/{connectionId}', 'removeConnectionFromGroup'],
    ['DELETE', 'hubs/{hub}/connections/{connectionId}/groups', 'removeConnectionFromAllGroups'],
    ['PUT', 'hubs/{hub}/users/{userId}/groups/{group}', 'addUserToGroup'],
    ['DELETE', 'hubs/{hub}/users/{userId}/groups/{group}', 'removeUserFromGroup'],
    ['DELETE', 'hubs/{hub}/users/{userId}/groups', 'removeUserFromAllGroups'],
    ['POST', 'hubs/{hub}/:addToGroups', 'addConnectionsToGroups'],
    ['POST', 'hubs/{hub}/:removeFromGroups', 'removeConnectionsFromGroups'],
    ['GET', 'hubs/{hub}/groups/{group}/connections', 'listConnectionsInGroup'],
    ['PUT', 'hubs/{hub}/permissions/{permission}/connections/{connectionId}', 'grantPermission'],
    ['DELETE', 'hubs/{hub}/permissions/{permission}/connections/{connectionId}', 'revokePermission'],
    ['HEAD', 'hubs/{hub}/permissions/{permission}/connections/{connectionId}', 'checkPermission'],
    ['POST', 'hubs/{hub}/:generateToken', 'generateToken'],
  ] as const
).map(([method, pattern, name]) => {
  const segments = pattern.split('/');
  const params = segments.map((p) => (p.startsWith('{') ? p.slice(1, -1) : null));
  return { method, pattern: segments, name, params, literals: segments.map((p) => p.toLowerCase()), literalCount: params.filter((p) => p === null).length };
});

/** Routes by segment count: a request is only compared with the routes of its length. */
const ROUTES_BY_LENGTH = new Map<number, Route[]>();
for (const route of ROUTES) {
  const list = ROUTES_BY_LENGTH.get(route.pattern.length) ?? [];
  list.push(route);
  ROUTES_BY_LENGTH.set(route.pattern.length, list);
}

export interface RouteMatch {
  readonly name: OperationName;
  /** Percent-decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
}

/** `path` is the request path as sent (percent-encoded, no query), starting with `/api/`. */
export function matchRoute(method: string, path: string): RouteMatch {
  if (!path.startsWith('/api/')) throw new NotFoundError(`No operation at ${clip(path)}.`);
  const raw = path.slice('/api/'.length).split('/');
  // Every segment is decoded first, so bad percent-encoding anywhere is a 400 whatever the route.
  const segments = raw.map(decodeSegment);
  const lower = raw.map((r) => r.toLowerCase());
  let best: Route | undefined;
  let allowed: Set<string> | undefined;
  for (const route of ROUTES_BY_LENGTH.get(segments.length) ?? []) {
    // The `:` of action segments is literal (docs/protocol/rest-api.md §1); compare the raw segment so `%3Asend` is a value.
    let matches = true;
    for (let i = 0; i < segments.length && matches; i++) matches = route.params[i] !== null || lower[i] === route.literals[i];
    if (!matches) continue;
    if (route.method !== method) {
      (allowed ??= new Set()).add(route.method);
      continue;
    }
    if (!best || route.literalCount > best.literalCount) best = route;
  }
  if (best) {
    const params: Record<string, string> = {};
    best.params.forEach((name, i) => {
      if (name !== null) params[name] = segments[i]!;
    });
    return { name: best.name, params };
  }
  if (allowed) throw new MethodNotAllowedError(method, [...allowed]);
  throw new NotFoundError(`No operation at ${clip(path)}; see the data-plane REST API (api-version 2024-12-01).`);
}

/** Validates parameters and builds the typed operation. */
export function buildOperation(match: RouteMatch, query: URLSearchParams): RestOperation {
  const q = new QueryReader(query);
  const p = match.params;
  const name = match.name;
  if (name === 'health') return { name };

  const isNextLink = name === 'listConnectionsInGroup' && q.get('continuationToken') !== null;
  const apiVersion = checkApiVersion(q.get('api-version'), isNextLink);
  const hub = parseHub(p['hub']!);
  const group = () => parseGroup(p['group']!);
  const userId = () => parseNonEmpty(p['userId']!, 'userId');
  const connectionId = () => parseNonEmpty(p['connectionId']!, 'connectionId');
  const excluded = () => q.getAll('excluded').map((e) => parseNonEmpty(e, 'excluded'));
  const reason = () => q.get('reason') ?? undefined;
  const ttl = () => parseInteger(q.get('messageTtlSeconds'), 'messageTtlSeconds', { min: 0, max: 300 }, 0)!;
  const filter = () => {
    const text = q.get('filter');
    // An empty filter selects everything (as for the bulk group operations, docs/protocol/rest-api.md §2).
    if (text === null || text.trim() === '') return {};
    try {
      return { filter: compileFilter(text) };
    } catch (e) {
      throw e instanceof BadRequestError ? new InvalidParameterError('filter', e.message) : e;
    }
  };
  const optional = <T>(key: string, value: T | undefined): Record<string, T> => (value === undefined ? {} : { [key]: value });

  switch (name) {
    case 'sendToAll':
      return { name, hub, excluded: excluded(), ...filter(), messageTtlSeconds: ttl() };
    case 'sendToUser':
      return { name, hub, userId: userId(), ...filter(), messageTtlSeconds: ttl() };
    case 'sendToConnection':
      return { name, hub, connectionId: connectionId(), messageTtlSeconds: ttl() };
    case 'sendToGroup':
      return { name, hub, group: group(), excluded: excluded(), ...filter(), messageTtlSeconds: ttl() };
    case 'connectionExists':
    case 'removeConnectionFromAllGroups':
      return { name, hub, connectionId: connectionId() };
    case 'closeConnection':
      return { name, hub, connectionId: connectionId(), ...optional('reason', reason()) };
    case 'closeAllConnections':
      return { name, hub, excluded: excluded(), ...optional('reason', reason()) };
    case 'closeUserConnections':
      return { name, hub, userId: userId(), excluded: excluded(), ...optional('reason', reason()) };
    case 'closeGroupConnections':
      return { name, hub, group: group(), excluded: excluded(), ...optional('reason', reason()) };
    case 'groupExists':
      return { name, hub, group: group() };
    case 'userExists':
    case 'removeUserFromAllGroups':
      return { name, hub, userId: userId() };
    case 'addConnectionToGroup':
    case 'removeConnectionFromGroup':
      return { name, hub, group: group(), connectionId: connectionId() };
    case 'addUserToGroup':
    case 'removeUserFromGroup':
      return { name, hub, group: group(), userId: userId() };
    case 'addConnectionsToGroups':
    case 'removeConnectionsFromGroups':
      return { name, hub };
    case 'listConnectionsInGroup': {
      const maxPageSize = parseInteger(q.get('maxpagesize'), 'maxpagesize', { min: 1, max: MAX_PAGE_SIZE }, DEFAULT_PAGE_SIZE)!;
      const top = parseInteger(q.get('top'), 'top', { min: 1 });
      const offset = decodeContinuationToken(q.get('continuationToken'));
      return { name, hub, group: group(), apiVersion, maxPageSize, ...optional('top', top), offset };
    }
    case 'grantPermission':
    case 'revokePermission':
    case 'checkPermission': {
      const targetName = q.get('targetName');
      return {
        name,
        hub,
        permission: parsePermission(p['permission']!),
        connectionId: connectionId(),
        ...optional('targetName', targetName === null ? undefined : parseGroup(targetName, 'targetName')),
      };
    }
    case 'generateToken': {
      const clientType = q.get('clientType');
      // Default and MQTT clients can connect; a Socket.IO token would be useless here.
      const type = clientType?.toLowerCase() ?? 'default';
      if (type !== 'default' && type !== 'mqtt') {
        throw new InvalidParameterError(
          'clientType',
          `clientType '${clip(clientType!)}' is not supported by this emulator; only Default and MQTT clients can connect.`,
        );
      }
      const user = q.get('userId');
      return {
        name,
        hub,
        ...(type === 'mqtt' ? { mqtt: true } : {}),
        ...optional('userId', user === null ? undefined : parseTokenUserId(user)),
        roles: q.getAll('role').map((r) => parseNonEmpty(r, 'role')),
        groups: q.getAll('group').map((g) => parseGroup(g)),
        minutesToExpire: parseInteger(q.get('minutesToExpire'), 'minutesToExpire', { min: 1, max: MAX_MINUTES_TO_EXPIRE }, 60)!,
      };
    }
  }
}

export function routeRequest(method: string, path: string, query: URLSearchParams): RestOperation {
  return buildOperation(matchRoute(method, path), query);
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidParameterError('path', `The path segment '${clip(segment)}' is not valid percent-encoding.`);
  }
}

/** Query names are matched case-insensitively, as the service's ASP.NET binding does. */
class QueryReader {
  private readonly byName = new Map<string, string[]>();
  constructor(query: URLSearchParams) {
    for (const [k, v] of query) {
      const key = k.toLowerCase();
      const list = this.byName.get(key);
      if (list) list.push(v);
      else this.byName.set(key, [v]);
    }
  }
  get(name: string): string | null {
    return this.byName.get(name.toLowerCase())?.[0] ?? null;
  }
  getAll(name: string): string[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }
}
