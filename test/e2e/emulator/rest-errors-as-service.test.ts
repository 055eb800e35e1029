import { RestError } from '@azure/core-rest-pipeline';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { SignJWT } from 'jose';
import type { RunningEmulator } from '../../../emulator/server';
import { KEY, start } from '../../support/emulator-harness';

/**
 * The emulator's REST errors against the service's own answers, recorded live by the Azure SDKs'
 * tests (Azure/azure-sdk-assets: js/sdk/web-pubsub, python/sdk/webpubsub, java/sdk/webpubsub). Each
 * case drives the official @azure/web-pubsub client against a running emulator and checks that the
 * SDK's RestError carries what it carries for the service, then checks the raw answer (status, content
 * type, x-ms-error-code, body length) against the recording.
 */

let emulator: RunningEmulator;
let client: WebPubSubServiceClient;
const HUB = 'simplechat';

beforeAll(async () => {
  emulator = await start();
  client = new WebPubSubServiceClient(emulator.connectionString, HUB, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
});

afterAll(async () => {
  await emulator.close();
});

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a RestError');
}

/** A raw request signed as the SDK signs (aud = the full URL). */
async function raw(method: string, pathAndQuery: string, init: { body?: string; contentType?: string } = {}): Promise<Response> {
  const url = `${emulator.endpoint}${pathAndQuery}`;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(url)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(KEY));
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.contentType) headers['content-type'] = init.contentType;
  return fetch(url, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
}

const FILTER_MESSAGE = "Invalid syntax for 'invalid filter': Syntax error at position 14 in 'invalid filter'. (Parameter 'filter')";
const GROUP_MESSAGE = 'Invalid group name. Valid group name should be in between 1 and 1024 characters long.';

describe('400: validation problems (application/problem+json, Error.BadRequest)', () => {
  // js recordings: group_client_working_with_a_group/can_broadcast_to_group_with_filter.
  it('an invalid filter on a send: the SDK message is the body, whose message is the recorded one', async () => {
    const e = await restError(client.group('group').sendToAll('hello', { contentType: 'text/plain', filter: 'invalid filter' }));
    expect(e.statusCode).toBe(400);
    // The assertion of the SDK's own live test (sdk/web-pubsub/web-pubsub/test/groups.spec.ts).
    expect(JSON.parse(e.message).message).toBe(FILTER_MESSAGE);
    // core-client does not parse problem+json, so neither for the service nor here is there a code.
    expect(e.code).toBeUndefined();

    const r = await raw('POST', `/api/hubs/${HUB}/groups/group/:send?api-version=2023-07-01&filter=invalid%20filter`, {
      contentType: 'text/plain',
      body: 'hello',
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(r.headers.get('x-ms-error-code')).toBe('Error.BadRequest');
    expect(r.headers.get('content-length')).toBe('416');
    expect(await r.json()).toEqual({
      code: 'Error.BadRequest',
      message: FILTER_MESSAGE,
      target: 'filter',
      errors: { filter: [FILTER_MESSAGE] },
      type: null,
      title: 'One or more validation errors occurred.',
      status: 400,
      detail: null,
      instance: null,
      extensions: {},
    });
  });

  // js recordings: client_working_with_multiple_groups/can_join_multiple_groups_with_filter (and leave).
  it.each([
    ['addConnectionsToGroups', (c: WebPubSubServiceClient) => c.addConnectionsToGroups(['group1', 'group2'], 'invalid filter')],
    ['removeConnectionsFromGroups', (c: WebPubSubServiceClient) => c.removeConnectionsFromGroups(['group1', 'group2'], 'invalid filter')],
  ])('an invalid filter in a %s body names the body property Filter', async (_name, call) => {
    const e = await restError(call(client));
    expect(e.statusCode).toBe(400);
    const body = JSON.parse(e.message);
    expect(body).toMatchObject({ code: 'Error.BadRequest', message: FILTER_MESSAGE, target: 'Filter', errors: { Filter: [FILTER_MESSAGE] } });
    expect(Buffer.byteLength(e.message)).toBe(416);
  });

  // java recordings: WebPubSubServiceClientTests.testAddConnectionsToGroupsThrowErrorWhenGroupsIsNull.
  it('a bulk body without groups gets the recorded group-name answer', async () => {
    const r = await raw('POST', `/api/hubs/Hub/:addToGroups?api-version=2024-01-01`, {
      contentType: 'application/json',
      body: JSON.stringify({ filter: "userId eq 'user 1'" }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(r.headers.get('x-ms-error-code')).toBe('Error.BadRequest');
    expect(r.headers.get('content-length')).toBe('374');
    expect(await r.json()).toEqual({
      code: 'Error.BadRequest',
      message: GROUP_MESSAGE,
      target: 'Groups',
      errors: { Groups: [GROUP_MESSAGE] },
      type: null,
      title: 'One or more validation errors occurred.',
      status: 400,
      detail: null,
      instance: null,
      extensions: {},
    });
  });

  it('an invalid group name in the path gets the same message (our choice: no recording for the path)', async () => {
    const e = await restError(client.group(' ').sendToAll('x', { contentType: 'text/plain' }));
    expect(e.statusCode).toBe(400);
    expect(JSON.parse(e.message)).toMatchObject({ code: 'Error.BadRequest', message: GROUP_MESSAGE, target: 'group' });
  });
});

describe('404: missing connections, users and groups (application/json ErrorDetail)', () => {
  // python recordings: test_add_connection_to_group_not_found.
  it('group.addConnection for a missing connection', async () => {
    const e = await restError(client.group('group1').addConnection('fake-connection-id'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Error.Connection.NotExisted');
    expect(e.message).toBe('Connection `fake-connection-id` is not found.');
    const r = await raw('PUT', `/api/hubs/apicoverage/groups/group1/connections/fake-connection-id?api-version=2024-12-01`);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('content-length')).toBe('146');
    expect(await r.json()).toEqual({
      code: 'Error.Connection.NotExisted',
      message: 'Connection `fake-connection-id` is not found.',
      target: 'Connection',
      details: null,
      inner: null,
    });
  });

  // python recordings: test_add_user_to_group_not_found.
  it('group.addUser for a user without connections', async () => {
    const e = await restError(client.group('group1').addUser('fake-user'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Warning.User.NotExisted');
    expect(e.message).toBe('User `fake-user` is not found.');
    const r = await raw('PUT', `/api/hubs/apicoverage/users/fake-user/groups/group1?api-version=2024-12-01`);
    expect(r.headers.get('content-length')).toBe('121');
  });

  // python recordings: test_grant_permission_not_found.
  it('grantPermission for a missing connection', async () => {
    const e = await restError(client.grantPermission('fake-connection-id', 'sendToGroup', { targetName: 'group1' }));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Info.Connection.NotExisted');
    expect(e.message).toBe('Connection `fake-connection-id` is not found.');
  });

  // js and python recordings: can_check_if_a_connection_exists, can_manage_users, test_group_exists, test_check_permission.
  it.each([
    ['connection', `/api/hubs/${HUB}/connections/xxx?api-version=2024-12-01`, 'Warning.Connection.NotExisted', '133'],
    ['user', `/api/hubs/${HUB}/users/foo?api-version=2023-07-01`, 'Warning.User.NotExisted', '115'],
    ['group', `/api/hubs/apicoverage/groups/fake-group?api-version=2024-12-01`, 'Warning.Group.NotExisted', undefined],
    [
      'permission of a missing connection',
      `/api/hubs/apicoverage/permissions/sendToGroup/connections/fake-connection-id?api-version=2024-12-01&targetName=group1`,
      'Info.Connection.NotExisted',
      '145',
    ],
  ])('HEAD for a missing %s: 404 with the code and the length of the body it does not send', async (_name, path, code, length) => {
    const r = await raw('HEAD', path);
    expect(r.status).toBe(404);
    expect(r.headers.get('x-ms-error-code')).toBe(code);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    if (length) expect(r.headers.get('content-length')).toBe(length);
    expect(await r.text()).toBe('');
  });

  it('the SDK reads those HEAD answers as false', async () => {
    expect(await client.connectionExists('xxx')).toBe(false);
    expect(await client.userExists('foo')).toBe(false);
    expect(await client.groupExists('fake-group')).toBe(false);
    expect(await client.hasPermission('fake-connection-id', 'sendToGroup', { targetName: 'group1' })).toBe(false);
  });

  // python recordings: close_connection / revoke_permission / remove_connection_from_group with a fake id, send_to_connection.
  it('operations on a missing connection that the service answers with success', async () => {
    await client.closeConnection('fake-connection-id', { reason: 'test' });
    await client.revokePermission('fake-connection-id', 'sendToGroup', { targetName: 'group1' });
    await client.group('group1').removeConnection('fake-connection-id');
    await client.sendToConnection('fake-connection-id', { hello: 'world' });
  });
});

describe('401: a bad token (no body, reason in WWW-Authenticate)', () => {
  it('a wrong access key', async () => {
    const wrong = new WebPubSubServiceClient(emulator.connectionString.replace(KEY, 'not-the-key'), HUB, {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const e = await restError(wrong.sendToAll('x'));
    expect(e.statusCode).toBe(401);
    expect(e.response?.bodyAsText ?? '').toBe('');
    expect(e.response?.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="The signature is invalid"');
  });
});
