/**
 * The SignalR Service data-plane REST API (docs/protocol/signalr.md §4), as a pure route table:
 * method + path → operation. The HTTP edge (rest-handler.ts) authenticates, reads the body and runs it.
 */

export const SUPPORTED_API_VERSIONS: readonly string[] = ['2022-06-01', '2022-11-01', '2024-12-01'];

export type RestOperation =
  | { op: 'sendToAll'; hub: string }
  | { op: 'sendToUser'; hub: string; user: string }
  | { op: 'sendToGroup'; hub: string; group: string }
  | { op: 'sendToConnection'; hub: string; connectionId: string }
  | { op: 'connectionExists'; hub: string; connectionId: string }
  | { op: 'closeConnection'; hub: string; connectionId: string }
  | { op: 'groupExists'; hub: string; group: string }
  | { op: 'userExists'; hub: string; user: string }
  | { op: 'addConnectionToGroup'; hub: string; group: string; connectionId: string }
  | { op: 'removeConnectionFromGroup'; hub: string; group: string; connectionId: string }
  | { op: 'removeConnectionFromAllGroups'; hub: string; connectionId: string }
  | { op: 'addUserToGroup'; hub: string; group: string; user: string }
  | { op: 'removeUserFromGroup'; hub: string; group: string; user: string }
  | { op: 'userInGroup'; hub: string; group: string; user: string }
  | { op: 'removeUserFromAllGroups'; hub: string; user: string }
  | { op: 'closeAll'; hub: string }
  | { op: 'closeGroup'; hub: string; group: string }
  | { op: 'closeUser'; hub: string; user: string }
  | { op: 'generateToken'; hub: string };

export type RouteMatch =
  | { kind: 'operation'; operation: RestOperation }
  | { kind: 'health' }
  | { kind: 'access-key' }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

/** `segments` are the decoded path segments after `/api/hubs/{hub}`. */
function route(method: string, hub: string, s: readonly string[]): RouteMatch {
  const is = (...parts: (string | null)[]): string[] | undefined => {
    if (parts.length !== s.length) return undefined;
    const captured: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === null) {
        if (s[i] === '' || s[i]!.startsWith(':')) return undefined;
        captured.push(s[i]!);
      } else if (parts[i] !== s[i]) return undefined;
    }
    return captured;
  };
  const candidates: [string, (string | null)[], (c: string[]) => RestOperation][] = [
    ['POST', [':send'], () => ({ op: 'sendToAll', hub })],
    ['POST', [':closeConnections'], () => ({ op: 'closeAll', hub })],
    ['POST', [':generateToken'], () => ({ op: 'generateToken', hub })],
    ['POST', ['users', null, ':send'], ([user]) => ({ op: 'sendToUser', hub, user: user! })],
    ['POST', ['users', null, ':closeConnections'], ([user]) => ({ op: 'closeUser', hub, user: user! })],
    ['HEAD', ['users', null], ([user]) => ({ op: 'userExists', hub, user: user! })],
    ['POST', ['groups', null, ':send'], ([group]) => ({ op: 'sendToGroup', hub, group: group! })],
    ['POST', ['groups', null, ':closeConnections'], ([group]) => ({ op: 'closeGroup', hub, group: group! })],
    ['HEAD', ['groups', null], ([group]) => ({ op: 'groupExists', hub, group: group! })],
    ['POST', ['connections', null, ':send'], ([id]) => ({ op: 'sendToConnection', hub, connectionId: id! })],
    ['HEAD', ['connections', null], ([id]) => ({ op: 'connectionExists', hub, connectionId: id! })],
    ['DELETE', ['connections', null], ([id]) => ({ op: 'closeConnection', hub, connectionId: id! })],
    ['DELETE', ['connections', null, 'groups'], ([id]) => ({ op: 'removeConnectionFromAllGroups', hub, connectionId: id! })],
    ['PUT', ['groups', null, 'connections', null], ([group, id]) => ({ op: 'addConnectionToGroup', hub, group: group!, connectionId: id! })],
    ['DELETE', ['groups', null, 'connections', null], ([group, id]) => ({ op: 'removeConnectionFromGroup', hub, group: group!, connectionId: id! })],
    ['PUT', ['users', null, 'groups', null], ([user, group]) => ({ op: 'addUserToGroup', hub, group: group!, user: user! })],
    ['DELETE', ['users', null, 'groups', null], ([user, group]) => ({ op: 'removeUserFromGroup', hub, group: group!, user: user! })],
    ['HEAD', ['users', null, 'groups', null], ([user, group]) => ({ op: 'userInGroup', hub, group: group!, user: user! })],
    ['DELETE', ['users', null, 'groups'], ([user]) => ({ op: 'removeUserFromAllGroups', hub, user: user! })],
  ];
  const allow: string[] = [];
  for (const [m, parts, make] of candidates) {
    const captured = is(...parts);
    if (!captured) continue;
    if (m === method || (m === 'HEAD' && method === 'GET')) return { kind: 'operation', operation: make(captured) };
    allow.push(m);
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}

/** Matches `/api/health`, `/api/auth/accessKey` and `/api/hubs/{hub}/…` (the path without its query). */
export function matchRestRoute(method: string, pathname: string): RouteMatch {
  if (pathname === '/api/health') return { kind: 'health' };
  // The temporary access key of Microsoft Entra callers (docs/protocol/signalr.md §6.2).
  if (pathname === '/api/auth/accessKey') return method === 'GET' ? { kind: 'access-key' } : { kind: 'method-not-allowed', allow: ['GET'] };
  const m = /^\/api\/hubs\/([^/]+)\/(.+)$/.exec(pathname);
  if (!m) return { kind: 'not-found' };
  let hub: string;
  let segments: string[];
  try {
    hub = decodeURIComponent(m[1]!);
    // `/:send` follows a slash; `/groups/g/:send` too.
    segments = m[2]!.split('/').map((x) => decodeURIComponent(x));
  } catch {
    return { kind: 'not-found' };
  }
  if (!HUB_NAME.test(hub)) return { kind: 'not-found' };
  return route(method, hub, segments);
}

export function isValidHubName(hub: string): boolean {
  return HUB_NAME.test(hub);
}
