import { dataActionOf, refuseSignalRAction, signalRRolesOf } from '../../../../emulator/signalr/signalr-permissions';

const P = 'p-1';
const as = (...roles: string[]) => roles.map((role) => ({ principalId: P, role }));

describe('SignalR data-plane RBAC (docs/protocol/signalr.md §6.3)', () => {
  it('maps operations to data actions', () => {
    expect(dataActionOf('accessKey')).toBe('auth/accessKey');
    expect(dataActionOf('generateToken')).toBe('auth/clientToken');
    expect(dataActionOf('closeConnection')).toBe('clientConnection/write');
    expect(dataActionOf('userInGroup')).toBe('rest/read');
    expect(dataActionOf('connectionExists')).toBe('rest/read');
    expect(dataActionOf('sendToAll')).toBe('rest/write');
    expect(dataActionOf('addUserToGroup')).toBe('rest/write');
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
