import { matchRestRoute } from '../../../../emulator/signalr/rest-routes';

describe('matchRestRoute', () => {
  it.each([
    ['POST', '/api/hubs/chat/:send', { op: 'sendToAll', hub: 'chat' }],
    ['POST', '/api/hubs/chat/users/u%201/:send', { op: 'sendToUser', hub: 'chat', user: 'u 1' }],
    ['POST', '/api/hubs/chat/groups/g/:send', { op: 'sendToGroup', hub: 'chat', group: 'g' }],
    ['POST', '/api/hubs/chat/connections/c/:send', { op: 'sendToConnection', hub: 'chat', connectionId: 'c' }],
    ['HEAD', '/api/hubs/chat/connections/c', { op: 'connectionExists', hub: 'chat', connectionId: 'c' }],
    ['DELETE', '/api/hubs/chat/connections/c', { op: 'closeConnection', hub: 'chat', connectionId: 'c' }],
    ['PUT', '/api/hubs/chat/groups/g/connections/c', { op: 'addConnectionToGroup', hub: 'chat', group: 'g', connectionId: 'c' }],
    ['DELETE', '/api/hubs/chat/connections/c/groups', { op: 'removeConnectionFromAllGroups', hub: 'chat', connectionId: 'c' }],
    ['PUT', '/api/hubs/chat/users/u/groups/g', { op: 'addUserToGroup', hub: 'chat', group: 'g', user: 'u' }],
    ['HEAD', '/api/hubs/chat/users/u/groups/g', { op: 'userInGroup', hub: 'chat', group: 'g', user: 'u' }],
    ['DELETE', '/api/hubs/chat/users/u/groups', { op: 'removeUserFromAllGroups', hub: 'chat', user: 'u' }],
    ['POST', '/api/hubs/chat/groups/g/:closeConnections', { op: 'closeGroup', hub: 'chat', group: 'g' }],
    ['POST', '/api/hubs/chat/:generateToken', { op: 'generateToken', hub: 'chat' }],
  ])('%s %s', (method, path, operation) => {
    expect(matchRestRoute(method, path)).toEqual({ kind: 'operation', operation });
  });

  it('answers health, 405 with Allow, and 404 for unknown paths or invalid hubs', () => {
    expect(matchRestRoute('GET', '/api/health')).toEqual({ kind: 'health' });
    expect(matchRestRoute('GET', '/api/auth/accessKey')).toEqual({ kind: 'access-key' });
    expect(matchRestRoute('POST', '/api/auth/accessKey')).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
    expect(matchRestRoute('GET', '/api/hubs/chat/:send')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(matchRestRoute('POST', '/api/hubs/chat/nothing')).toEqual({ kind: 'not-found' });
    expect(matchRestRoute('POST', '/api/hubs/1chat/:send')).toEqual({ kind: 'not-found' });
    expect(matchRestRoute('POST', '/api/hubs/chat/groups/%E0/:send')).toEqual({ kind: 'not-found' });
  });
});
