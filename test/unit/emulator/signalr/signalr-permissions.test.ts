import { matchRestRoute } from '../../../../emulator/signalr/rest-routes';
import { dataActionOf, refuseSignalRAction, signalRRolesOf } from '../../../../emulator/signalr/signalr-permissions';

const P = 'p-1';
const as = (...roles: string[]) => roles.map((role) => ({ principalId: P, role }));

describe('SignalR data-plane RBAC (docs/protocol/signalr.md §6.3)', () => {
  it('maps operations to data actions', () => {
    expect(dataActionOf('generateToken')).toBe('auth/clientToken');
    expect(dataActionOf('closeConnection')).toBe('clientConnection/write');
    expect(dataActionOf('userInGroup')).toBe('rest/read');
    expect(dataActionOf('connectionExists')).toBe('rest/read');
    expect(dataActionOf('sendToAll')).toBe('rest/write');
    expect(dataActionOf('addUserToGroup')).toBe('rest/write');
    expect(dataActionOf('closeAll')).toBe('rest/write');
  });

  it('gives the temporary key only at GET /api/auth/accessKey: no REST operation needs auth/accessKey', () => {
    const routes: [string, string][] = [
      ['POST', ':send'],
      ['POST', ':closeConnections'],
      ['POST', ':generateToken'],
      ['POST', 'users/u/:send'],
      ['POST', 'users/u/:closeConnections'],
      ['HEAD', 'users/u'],
      ['POST', 'groups/g/:send'],
      ['POST', 'groups/g/:closeConnections'],
      ['HEAD', 'groups/g'],
      ['POST', 'connections/c/:send'],
      ['HEAD', 'connections/c'],
      ['DELETE', 'connections/c'],
      ['DELETE', 'connections/c/groups'],
      ['PUT', 'groups/g/connections/c'],
      ['DELETE', 'groups/g/connections/c'],
      ['PUT', 'users/u/groups/g'],
      ['DELETE', 'users/u/groups/g'],
      ['HEAD', 'users/u/groups/g'],
      ['DELETE', 'users/u/groups'],
    ];
    const ops = new Set<string>();
    for (const [method, path] of routes) {
      const match = matchRestRoute(method, `/api/hubs/chat/${path}`);
      if (match.kind !== 'operation') throw new Error(`${method} ${path} is not a REST operation`);
      ops.add(match.operation.op);
      expect([method, path, dataActionOf(match.operation.op)]).not.toEqual([method, path, 'auth/accessKey']);
    }
    expect(ops.size).toBe(routes.length);
    expect(matchRestRoute('GET', '/api/auth/accessKey')).toEqual({ kind: 'access-key' });
  });

  it.each<[string, string, boolean]>([
    ['SignalR Service Owner', 'auth/accessKey', true],
    ['SignalR Service Owner', 'rest/write', true],
    ['SignalR App Server', 'auth/accessKey', true],
    ['SignalR App Server', 'auth/clientToken', false],
    ['SignalR App Server', 'rest/write', false],
    ['SignalR REST API Owner', 'auth/clientToken', true],
    ['SignalR REST API Owner', 'rest/write', true],
    ['SignalR REST API Owner', 'auth/accessKey', false],
    ['SignalR REST API Reader', 'rest/read', true],
    ['SignalR REST API Reader', 'rest/write', false],
    ['Web PubSub Service Owner', 'rest/read', false],
  ])('%s: %s allowed = %s', (role, action, allowed) => {
    const refusal = refuseSignalRAction(P, action as Parameters<typeof refuseSignalRAction>[1], as(role));
    expect(refusal === undefined).toBe(allowed);
  });

  it('names the roles held, or none, and the role to assign; Web PubSub roles do not count', () => {
    expect(signalRRolesOf(P, as('Web PubSub Service Owner', 'SignalR App Server'))).toEqual(['SignalR App Server']);
    expect(refuseSignalRAction(P, 'rest/write', as('Web PubSub Service Owner'))).toMatch(/no SignalR Service data-plane role.*"SignalR Service Owner"/);
    expect(refuseSignalRAction(P, 'rest/write', as('SignalR App Server'))).toMatch(/holds "SignalR App Server", which does not allow rest\/write/);
    expect(refuseSignalRAction('other', 'rest/read', as('SignalR Service Owner'))).toMatch(/no SignalR Service data-plane role/);
  });
});
