import { ServiceError } from '../../../../emulator/core/service-errors';
import { decodeContinuationToken, encodeContinuationToken } from '../../../../emulator/rest/pagination';
import { InvalidParameterError, MethodNotAllowedError } from '../../../../emulator/rest/request-errors';
import { routeRequest } from '../../../../emulator/rest/router';

const V = 'api-version=2024-12-01';
const route = (method: string, url: string) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  return routeRequest(method, path, new URLSearchParams(query));
};
const failure = (method: string, url: string): ServiceError => {
  try {
    route(method, url);
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error(`${method} ${url} was accepted`);
};

describe('routeRequest — all 25 operations of docs/protocol/rest-api.md §2 and §6 (requests captured from the JS SDK)', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['HEAD', '/api/health', { name: 'health' }],
    ['GET', '/api/health', { name: 'health' }],
    [
      'POST',
      `/api/hubs/Hub1/:send?${V}&excluded=a&excluded=b&filter=userId%20eq%20%27o%27%27x%27&messageTtlSeconds=10`,
      { name: 'sendToAll', hub: 'Hub1', excluded: ['a', 'b'], messageTtlSeconds: 10 },
    ],
    ['POST', `/api/hubs/Hub1/users/user%2F1%20x/:send?${V}`, { name: 'sendToUser', hub: 'Hub1', userId: 'user/1 x', messageTtlSeconds: 0 }],
    ['POST', `/api/hubs/Hub1/connections/conn1/:send?${V}`, { name: 'sendToConnection', hub: 'Hub1', connectionId: 'conn1' }],
    ['POST', `/api/hubs/Hub1/groups/grp%201/:send?${V}&excluded=c9&filter=%27g2%27%20in%20groups`, { name: 'sendToGroup', group: 'grp 1', excluded: ['c9'] }],
    ['HEAD', `/api/hubs/Hub1/connections/conn1?${V}`, { name: 'connectionExists', connectionId: 'conn1' }],
    ['DELETE', `/api/hubs/Hub1/connections/conn1?${V}&reason=bye`, { name: 'closeConnection', connectionId: 'conn1', reason: 'bye' }],
    ['POST', `/api/hubs/Hub1/:closeConnections?${V}&excluded=e1&excluded=e2&reason=r`, { name: 'closeAllConnections', excluded: ['e1', 'e2'], reason: 'r' }],
    [
      'POST',
      `/api/hubs/Hub1/users/u1/:closeConnections?${V}&excluded=x&reason=r2`,
      { name: 'closeUserConnections', userId: 'u1', excluded: ['x'], reason: 'r2' },
    ],
    [
      'POST',
      `/api/hubs/Hub1/groups/g1/:closeConnections?${V}&excluded=z&reason=rr`,
      { name: 'closeGroupConnections', group: 'g1', excluded: ['z'], reason: 'rr' },
    ],
    ['HEAD', `/api/hubs/Hub1/groups/g1?${V}`, { name: 'groupExists', group: 'g1' }],
    ['HEAD', `/api/hubs/Hub1/users/u1?${V}`, { name: 'userExists', userId: 'u1' }],
    ['PUT', `/api/hubs/Hub1/groups/g1/connections/conn1?${V}`, { name: 'addConnectionToGroup', group: 'g1', connectionId: 'conn1' }],
    ['DELETE', `/api/hubs/Hub1/groups/g1/connections/conn1?${V}`, { name: 'removeConnectionFromGroup', group: 'g1', connectionId: 'conn1' }],
    ['DELETE', `/api/hubs/Hub1/connections/conn1/groups?${V}`, { name: 'removeConnectionFromAllGroups', connectionId: 'conn1' }],
    ['PUT', `/api/hubs/Hub1/users/u1/groups/g1?${V}`, { name: 'addUserToGroup', userId: 'u1', group: 'g1' }],
    ['DELETE', `/api/hubs/Hub1/users/u1/groups/g1?${V}`, { name: 'removeUserFromGroup', userId: 'u1', group: 'g1' }],
    ['DELETE', `/api/hubs/Hub1/users/u1/groups?${V}`, { name: 'removeUserFromAllGroups', userId: 'u1' }],
    ['POST', `/api/hubs/Hub1/:addToGroups?${V}`, { name: 'addConnectionsToGroups', hub: 'Hub1' }],
    ['POST', `/api/hubs/Hub1/:removeFromGroups?${V}`, { name: 'removeConnectionsFromGroups', hub: 'Hub1' }],
    [
      'GET',
      `/api/hubs/Hub1/groups/g1/connections?${V}&maxpagesize=1&top=5`,
      { name: 'listConnectionsInGroup', group: 'g1', maxPageSize: 1, top: 5, offset: 0, apiVersion: '2024-12-01' },
    ],
    [
      'GET',
      `/api/hubs/Hub1/groups/g1/connections?continuationToken=${encodeContinuationToken(7)}&maxpagesize=1`,
      { name: 'listConnectionsInGroup', offset: 7, apiVersion: '2024-12-01' },
    ],
    ['GET', `/api/hubs/Hub1/groups/g1/connections?api-version=2023-07-01`, { name: 'listConnectionsInGroup', maxPageSize: 100, apiVersion: '2023-07-01' }],
    [
      'PUT',
      `/api/hubs/Hub1/permissions/joinLeaveGroup/connections/conn1?${V}&targetName=g1`,
      { name: 'grantPermission', permission: 'joinLeaveGroup', connectionId: 'conn1', targetName: 'g1' },
    ],
    ['DELETE', `/api/hubs/Hub1/permissions/sendToGroup/connections/conn1?${V}`, { name: 'revokePermission', permission: 'sendToGroup', connectionId: 'conn1' }],
    [
      'HEAD',
      `/api/hubs/Hub1/permissions/sendToGroup/connections/conn1?${V}&targetName=g1`,
      { name: 'checkPermission', permission: 'sendToGroup', targetName: 'g1' },
    ],
    [
      'POST',
      `/api/hubs/Hub1/:generateToken?${V}&userId=u&role=r1&role=r2&minutesToExpire=30&group=g`,
      { name: 'generateToken', userId: 'u', roles: ['r1', 'r2'], groups: ['g'], minutesToExpire: 30 },
    ],
    ['POST', `/api/hubs/Hub1/:generateToken?${V}&clientType=default`, { name: 'generateToken', roles: [], groups: [], minutesToExpire: 60 }],
    ['POST', `/api/hubs/Hub1/:generateToken?${V}&minutesToExpire=2147483647`, { name: 'generateToken', roles: [], groups: [], minutesToExpire: 2147483647 }],
    ['POST', `/api/hubs/Hub1/:generateToken?${V}&clientType=MQTT`, { name: 'generateToken', mqtt: true, roles: [], groups: [], minutesToExpire: 60 }],
    ['POST', `/api/hubs/a_b%60c,d.e%5Bf%5D/:send?${V}`, { name: 'sendToAll', hub: 'a_b`c,d.e[f]' }],
    ['POST', `/api/hubs/Hub1/users/%3Asend/:send?${V}`, { name: 'sendToUser', userId: ':send' }],
    ['POST', `/api/hubs/Hub1/:send?API-VERSION=2024-01-01&Excluded=a`, { name: 'sendToAll', excluded: ['a'] }],
  ])('%s %s', (method, url, expected) => {
    expect(route(method, url)).toMatchObject(expected);
  });

  it('compiles the filter of a send', () => {
    const op = route('POST', `/api/hubs/h/:send?${V}&filter=${encodeURIComponent("userId eq 'u1'")}`);
    expect(op.name === 'sendToAll' && op.filter).toBeInstanceOf(Function);
    if (op.name !== 'sendToAll' || !op.filter) throw new Error('no filter');
    expect(op.filter({ connectionId: 'c', userId: 'u1', groups: new Set(), protocol: null })).toBe(true);
    expect(op.filter({ connectionId: 'c', userId: 'u2', groups: new Set(), protocol: null })).toBe(false);
  });

  it('leaves the optional parameters out when absent', () => {
    expect(route('DELETE', `/api/hubs/h/connections/c?${V}`)).toEqual({ name: 'closeConnection', hub: 'h', connectionId: 'c' });
    expect(route('POST', `/api/hubs/h/:send?${V}`)).toEqual({ name: 'sendToAll', hub: 'h', excluded: [], messageTtlSeconds: 0 });
    expect(route('POST', `/api/hubs/h/:send?${V}&filter=`)).toEqual({ name: 'sendToAll', hub: 'h', excluded: [], messageTtlSeconds: 0 });
  });
});

describe("routeRequest — rejects bad requests with the service's status and code, and a clear message and target", () => {
  it.each<[string, string, number, string, RegExp]>([
    ['GET', '/api/nothing', 404, 'Error.NotFound', /No operation at \/api\/nothing/],
    ['GET', '/api/hubs/h/unknown/x', 404, 'Error.NotFound', /No operation/],
    ['GET', '/other', 404, 'Error.NotFound', /No operation/],
    ['POST', `/api/hubs/h/%3Asend?${V}`, 404, 'Error.NotFound', /No operation/],
    ['GET', `/api/hubs/h/:send?${V}`, 405, 'Error.MethodNotAllowed', /GET is not supported.*POST/],
    ['POST', `/api/hubs/h/connections/c?${V}`, 405, 'Error.MethodNotAllowed', /HEAD, DELETE/],
    ['POST', '/api/hubs/h/:send', 400, 'Error.BadRequest', /api-version query parameter is required/],
    ['POST', '/api/hubs/h/:send?api-version=2020-01-01', 400, 'Error.BadRequest', /2020-01-01.*2024-12-01/],
    ['GET', '/api/hubs/h/groups/g/connections', 400, 'Error.BadRequest', /required/],
    ['POST', `/api/hubs/1hub/:send?${V}`, 400, 'Error.BadRequest', /Hub name '1hub' is invalid/],
    ['POST', `/api/hubs/h%20h/:send?${V}`, 400, 'Error.BadRequest', /Hub name/],
    ['POST', `/api/hubs/${'h'.repeat(129)}/:send?${V}`, 400, 'Error.BadRequest', /Hub name/],
    [
      'POST',
      `/api/hubs/h/groups/%20%20/:send?${V}`,
      400,
      'Error.BadRequest',
      /^Invalid group name\. Valid group name should be in between 1 and 1024 characters long\.$/,
    ],
    ['POST', `/api/hubs/h/groups/${'g'.repeat(1025)}/:send?${V}`, 400, 'Error.BadRequest', /Invalid group name/],
    ['HEAD', `/api/hubs/h/users/?${V}`, 400, 'Error.BadRequest', /userId must be a non-empty string/],
    ['HEAD', `/api/hubs/h/connections/?${V}`, 400, 'Error.BadRequest', /connectionId must be a non-empty/],
    ['PUT', `/api/hubs/h/permissions/admin/connections/c?${V}`, 400, 'Error.BadRequest', /joinLeaveGroup or sendToGroup/],
    ['PUT', `/api/hubs/h/permissions/sendToGroup/connections/c?${V}&targetName=%20`, 400, 'Error.BadRequest', /Invalid group name/],
    ['POST', `/api/hubs/h/:send?${V}&messageTtlSeconds=301`, 400, 'Error.BadRequest', /messageTtlSeconds must be a whole number from 0 to 300/],
    ['POST', `/api/hubs/h/:send?${V}&messageTtlSeconds=-1`, 400, 'Error.BadRequest', /messageTtlSeconds/],
    ['POST', `/api/hubs/h/:send?${V}&messageTtlSeconds=1.5`, 400, 'Error.BadRequest', /messageTtlSeconds/],
    ['POST', `/api/hubs/h/:send?${V}&excluded=`, 400, 'Error.BadRequest', /excluded must be a non-empty/],
    [
      'POST',
      `/api/hubs/h/:send?${V}&filter=userId%20eq`,
      400,
      'Error.BadRequest',
      /^Invalid syntax for 'userId eq': Expression expected at position 9 in 'userId eq'\. \(Parameter 'filter'\)$/,
    ],
    ['POST', `/api/hubs/h/users/u/:send?${V}&filter=not%20length(userId)%20gt%205`, 400, 'Error.BadRequest', /Type 'int', expect 'bool'/],
    ['GET', `/api/hubs/h/groups/g/connections?${V}&maxpagesize=0`, 400, 'Error.BadRequest', /maxpagesize must be a whole number from 1 to 200/],
    ['GET', `/api/hubs/h/groups/g/connections?${V}&maxpagesize=201`, 400, 'Error.BadRequest', /maxpagesize/],
    ['GET', `/api/hubs/h/groups/g/connections?${V}&top=0`, 400, 'Error.BadRequest', /top must be a whole number at least 1/],
    ['GET', `/api/hubs/h/groups/g/connections?${V}&top=abc`, 400, 'Error.BadRequest', /top/],
    ['GET', `/api/hubs/h/groups/g/connections?${V}&continuationToken=garbage`, 400, 'Error.BadRequest', /continuationToken is not one this service issued/],
    ['POST', `/api/hubs/h/:generateToken?${V}&minutesToExpire=0`, 400, 'Error.BadRequest', /minutesToExpire must be a whole number from 1 to 2147483647/],
    // docs/protocol/rest-api.md §2 op 25: a 32-bit integer; the service refuses anything larger.
    [
      'POST',
      `/api/hubs/h/:generateToken?${V}&minutesToExpire=2147483648`,
      400,
      'Error.BadRequest',
      /^minutesToExpire must be a whole number from 1 to 2147483647; got '2147483648'\./,
    ],
    ['POST', `/api/hubs/h/:generateToken?${V}&minutesToExpire=99999999999999`, 400, 'Error.BadRequest', /minutesToExpire must be a whole number from 1 to/],
    ['POST', `/api/hubs/h/:generateToken?${V}&clientType=socketio`, 400, 'Error.BadRequest', /socketio/],
    ['POST', `/api/hubs/h/:generateToken?${V}&group=%20`, 400, 'Error.BadRequest', /Invalid group name/],
    ['POST', `/api/hubs/h/:generateToken?${V}&userId=`, 400, 'Error.BadRequest', /userId must be a non-empty/],
    ['POST', `/api/hubs/h/users/%E0%A4%A/:send?${V}`, 400, 'Error.BadRequest', /not valid percent-encoding/],
  ])('%s %s → %i %s', (method, url, status, code, message) => {
    const e = failure(method, url);
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('names the parameter at fault as the ErrorDetail target', () => {
    const e = failure('POST', `/api/hubs/h/:send?${V}&filter=bad`);
    expect(e).toBeInstanceOf(InvalidParameterError);
    expect((e as InvalidParameterError).target).toBe('filter');
    expect((failure('POST', '/api/hubs/h/:send') as InvalidParameterError).target).toBe('api-version');
  });

  it('lists the allowed methods for a 405', () => {
    const e = failure('PATCH', `/api/hubs/h/groups/g/connections/c?${V}`);
    expect(e).toBeInstanceOf(MethodNotAllowedError);
    expect((e as MethodNotAllowedError).allow).toEqual(['PUT', 'DELETE']);
  });
});

describe('continuation tokens', () => {
  it('round-trip offsets', () => {
    for (const offset of [0, 1, 199, 123456]) expect(decodeContinuationToken(encodeContinuationToken(offset))).toBe(offset);
  });
});
