import { BadRequestError, NotFoundError } from '../core/service-errors';
import { checkApiVersion } from './api-version';
import { compileFilter } from './filter';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeContinuationToken } from './pagination';
import { clip, parseGroup, parseHub, parseInteger, parseNonEmpty, parsePermission, parseTokenUserId } from './parameters';
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
).map(([method, pattern, name]) => ({ method, pattern: pattern.split('/'), name }));

export interface RouteMatch {
  readonly name: OperationName;
  /** Percent-decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
}

/** `path` is the request path as sent (percent-encoded, no query), starting with `/api/`. */
export function matchRoute(method: string, path: string): RouteMatch {
  if (!path.startsWith('/api/')) throw new NotFoundError(`No operation at ${clip(path)}.`);
  const raw = path.slice('/api/'.length).split('/');
  const segments = raw.map(decodeSegment);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  const allowed = new Set<string>();
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const matches = route.pattern.every((p, i) => {
      const s = segments[i]!;
      if (p.startsWith('{')) {
        params[p.slice(1, -1)] = s;
        return true;
      }
      literals++;
      // The `:` of action segments is literal (docs/protocol/rest-api.md §1); compare the raw segment so `%3Asend` is a value.
      return raw[i]!.toLowerCase() === p.toLowerCase();
    });
    if (!matches) continue;
    if (route.method !== method) {
      allowed.add(route.method);
      continue;
    }
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  if (best) return { name: best.route.name, params: best.params };
  if (allowed.size > 0) throw new MethodNotAllowedError(method, [...allowed]);
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
        minutesToExpire: parseInteger(q.get('minutesToExpire'), 'minutesToExpire', { min: 1 }, 60)!,
      };
    }
  }
}

export function routeRequest(method: string, path: string, query: URLSearchParams): RestOperation {
  return buildOperation(matchRoute(method, path), query);
}

function decodeSegment(segment: string): string {
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
