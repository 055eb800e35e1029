import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestError } from '@azure/core-rest-pipeline';
import { WebPubSubServiceClient, odata } from '@azure/web-pubsub';
import { jwtVerify, SignJWT } from 'jose';
import { createRestHandler } from '../../../emulator/rest/index';
import { FakeServiceOps } from '../../support/fake-service-ops';

/**
 * The REST data plane driven by the official SDK (@azure/web-pubsub 1.2.0) over real HTTP, against an
 * in-memory ServiceOps. Each test asserts both what the SDK returned and what reached the service.
 */

const KEY = 'e2e-primary-key-0123456789abcdef0123456789';
const SECONDARY = 'e2e-secondary-key-0123456789abcdef012345';
const HUB = 'Hub1';

let server: Server;
let port: number;
let fake: FakeServiceOps;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const logLines: string[] = [];
let client: WebPubSubServiceClient;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  client = new WebPubSubServiceClient(`Endpoint=http://127.0.0.1;Port=${port};AccessKey=${KEY};Version=1.0;`, HUB, {
    allowInsecureConnection: true,
    // A 5xx must fail the test at once rather than be retried with back-off.
    retryOptions: { maxRetries: 0 },
  });
});

beforeEach(() => {
  fake = new FakeServiceOps();
  fake.connect(HUB, 'c1', { userId: 'u1', groups: ['g1'], protocol: 'json.webpubsub.azure.v1' });
  fake.connect(HUB, 'c2', { userId: 'u1', groups: ['g1', 'g2'] });
  fake.connect(HUB, 'c3', { userId: "o'x", groups: ['g2'] });
  fake.connect(HUB, 'c4', { groups: ['g1'] });
  handler = createRestHandler({ ops: fake, keys: [KEY, SECONDARY], log: (line) => logLines.push(line) });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const base = () => `http://127.0.0.1:${port}`;
const delivered = () => fake.deliveries.map((d) => d.connectionId).sort();
const texts = () => fake.deliveries.map((d) => d.message.data.toString('utf8'));

/** A raw request signed like the SDK: aud = the full URL including the query (docs/protocol/auth.md §4). */
async function raw(method: string, pathAndQuery: string, init: { body?: string | Buffer; contentType?: string; key?: string; aud?: string } = {}) {
  const url = base() + pathAndQuery;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(init.aud ?? url)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(init.key ?? KEY));
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.contentType) headers['content-type'] = init.contentType;
  const body = init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) };
  return fetch(url, { method, headers, ...body });
}

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a RestError');
}

describe('sends (202 even for unknown targets)', () => {
  it('sendToAll with a JSON object, an odata filter, excluded connections and a TTL', async () => {
    await client.sendToAll({ hello: 'world' }, { filter: odata`userId eq ${'u1'} or userId eq ${"o'x"}`, excludedConnections: ['c2'], messageTtlSeconds: 10 });
    expect(delivered()).toEqual(['c1', 'c3']);
    expect(fake.deliveries[0]!.message.dataType).toBe('json');
    expect(texts()[0]).toBe('{"hello":"world"}');
    const [, , options] = fake.lastCall('sendToAll')!.args as [string, unknown, { excluded: string[] }];
    expect(options.excluded).toEqual(['c2']);
  });

  it('sendToAll with text/plain', async () => {
    await client.sendToAll('plain text', { contentType: 'text/plain' });
    expect(fake.deliveries).toHaveLength(4);
    expect(fake.deliveries[0]!.message).toEqual({ dataType: 'text', data: Buffer.from('plain text') });
  });

  it('sendToUser to a percent-encoded user id', async () => {
    fake.connect(HUB, 'c9', { userId: 'user/1 x' });
    await client.sendToUser('user/1 x', 'a string as json');
    expect(delivered()).toEqual(['c9']);
    expect(fake.deliveries[0]!.message).toEqual({ dataType: 'json', data: Buffer.from('"a string as json"') });
  });

  it('sendToUser with a filter narrows the user connections', async () => {
    await client.sendToUser('u1', { n: 1 }, { filter: "'g2' in groups" });
    expect(delivered()).toEqual(['c2']);
  });

  it('sendToConnection with text/plain and with binary', async () => {
    await client.sendToConnection('c1', 'hi', { contentType: 'text/plain' });
    await client.sendToConnection('c1', new Uint8Array([0, 1, 255]).buffer);
    expect(fake.deliveries.map((d) => d.message)).toEqual([
      { dataType: 'text', data: Buffer.from('hi') },
      { dataType: 'binary', data: Buffer.from([0, 1, 255]) },
    ]);
  });

  it('sends to unknown targets and still gets 202', async () => {
    await client.sendToConnection('nobody', 'x', { contentType: 'text/plain' });
    await client.sendToUser('nobody', 'x');
    await client.group('empty').sendToAll('x');
    expect(fake.deliveries).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['sendToConnection', 'sendToUser', 'sendToGroup']);
  });

  it('group(g).sendToAll with a space in the name, excluded and a filter', async () => {
    fake.connect(HUB, 'c5', { groups: ['grp 1', 'g2'] });
    fake.connect(HUB, 'c6', { groups: ['grp 1', 'g2'] });
    fake.connect(HUB, 'c7', { groups: ['grp 1'] });
    await client.group('grp 1').sendToAll({ a: 1 }, { excludedConnections: ['c6'], filter: "'g2' in groups" });
    expect(delivered()).toEqual(['c5']);
    expect(fake.lastCall('sendToGroup')!.args[1]).toBe('grp 1');
  });
});

describe('closes (204)', () => {
  it('closeConnection with a reason', async () => {
    await client.closeConnection('c1', { reason: 'bye' });
    expect(fake.closed).toEqual([{ hub: HUB, connectionId: 'c1', reason: 'bye' }]);
  });

  it('closeAllConnections keeps the excluded connections', async () => {
    await client.closeAllConnections({ reason: 'r', excluded: ['c2'] } as Parameters<typeof client.closeAllConnections>[0]);
    expect(fake.closed.map((c) => c.connectionId).sort()).toEqual(['c1', 'c3', 'c4']);
    expect(fake.closed[0]!.reason).toBe('r');
  });

  it('closeUserConnections', async () => {
    await client.closeUserConnections('u1', { reason: 'r2' });
    expect(fake.closed.map((c) => c.connectionId).sort()).toEqual(['c1', 'c2']);
  });

  it('group.closeAllConnections', async () => {
    await client.group('g2').closeAllConnections({ reason: 'rr' });
    expect(fake.closed.map((c) => c.connectionId).sort()).toEqual(['c2', 'c3']);
    expect(fake.lastCall('closeGroupConnections')!.args).toEqual([HUB, 'g2', { excluded: [], reason: 'rr' }]);
  });

  it('closing an unknown connection still succeeds', async () => {
    await client.closeConnection('nobody');
    expect(fake.closed).toEqual([]);
  });
});

describe('existence checks (HEAD 200/404)', () => {
  it('connectionExists, userExists, groupExists', async () => {
    expect(await client.connectionExists('c1')).toBe(true);
    expect(await client.connectionExists('nope')).toBe(false);
    expect(await client.userExists("o'x")).toBe(true);
    expect(await client.userExists('nope')).toBe(false);
    expect(await client.groupExists('g2')).toBe(true);
    expect(await client.groupExists('nope')).toBe(false);
  });
});

describe('group membership', () => {
  it('group.addConnection / removeConnection', async () => {
    await client.group('new').addConnection('c4');
    expect(fake.connection(HUB, 'c4')!.groups.has('new')).toBe(true);
    await client.group('new').removeConnection('c4');
    expect(fake.connection(HUB, 'c4')!.groups.has('new')).toBe(false);
    // Removing what is not there is still 204 (issue #57).
    await client.group('new').removeConnection('nobody');
  });

  it('group.addConnection on a missing connection is a 404 RestError', async () => {
    const e = await restError(client.group('g').addConnection('nobody'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Error.Connection.NotExisted');
  });

  it('removeConnectionFromAllGroups', async () => {
    await client.removeConnectionFromAllGroups('c2');
    expect([...fake.connection(HUB, 'c2')!.groups]).toEqual([]);
  });

  it('group.addUser / removeUser / removeUserFromAllGroups', async () => {
    await client.group('team').addUser('u1');
    expect(fake.connection(HUB, 'c1')!.groups.has('team') && fake.connection(HUB, 'c2')!.groups.has('team')).toBe(true);
    await client.group('team').removeUser('u1');
    expect(fake.connection(HUB, 'c1')!.groups.has('team')).toBe(false);
    await client.removeUserFromAllGroups('u1');
    expect(fake.connection(HUB, 'c2')!.groups.size).toBe(0);
  });

  it('group.addUser for a user without connections is a 404 RestError', async () => {
    const e = await restError(client.group('team').addUser('ghost'));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Warning.User.NotExisted');
  });

  it('addConnectionsToGroups / removeConnectionsFromGroups with an odata filter', async () => {
    await client.addConnectionsToGroups(['x', 'y'], odata`userId eq ${'u1'}`);
    expect(['c1', 'c2', 'c3', 'c4'].map((id) => fake.connection(HUB, id)!.groups.has('y'))).toEqual([true, true, false, false]);
    await client.removeConnectionsFromGroups(['x'], "'g2' in groups");
    expect(['c1', 'c2'].map((id) => fake.connection(HUB, id)!.groups.has('x'))).toEqual([true, false]);
    expect(fake.lastCall('removeConnectionsFromGroups')!.args[1]).toEqual(['x']);
  });

  it('addConnectionsToGroups with an invalid filter is a 400 RestError naming the problem', async () => {
    const e = await restError(client.addConnectionsToGroups(['x'], 'userId eq'));
    expect(e.statusCode).toBe(400);
    // As from the service: problem+json is not parsed by the SDK, so the message is the body's text.
    expect(JSON.parse(e.message)).toMatchObject({ code: 'Error.BadRequest', target: 'Filter', message: expect.stringMatching(/position 9/) });
    expect(fake.calls).toEqual([]);
  });
});

describe('listing group members through several nextLink pages', () => {
  beforeEach(() => {
    for (let i = 0; i < 7; i++) fake.connect(HUB, `m${i}`, { groups: ['big grp'], ...(i % 2 ? { userId: `user ${i}` } : {}) });
  });

  it('pages with maxPageSize and stops at top', async () => {
    const iterator = await client.group('big grp').listConnections({ maxPageSize: 2, top: 5 });
    const pages: unknown[][] = [];
    for await (const page of iterator.byPage()) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([
      { connectionId: 'm0' },
      { connectionId: 'm1', userId: 'user 1' },
      { connectionId: 'm2' },
      { connectionId: 'm3', userId: 'user 3' },
      { connectionId: 'm4' },
    ]);
  });

  it('lists everything without top', async () => {
    const members: string[] = [];
    for await (const m of await client.group('big grp').listConnections({ maxPageSize: 3 })) members.push(m.connectionId);
    expect(members).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(fake.calls.filter((c) => c.method === 'listConnectionsInGroup')).toHaveLength(3);
  });

  it('answers an empty list for a missing group', async () => {
    const members: unknown[] = [];
    for await (const m of await client.group('missing').listConnections()) members.push(m);
    expect(members).toEqual([]);
  });

  it('returns an absolute nextLink carrying api-version, maxpagesize and the remaining top', async () => {
    const first = await raw('GET', `/api/hubs/${HUB}/groups/big%20grp/connections?api-version=2024-12-01&maxpagesize=3&top=4`);
    const body = (await first.json()) as { value: unknown[]; nextLink: string };
    expect(body.value).toHaveLength(3);
    const next = new URL(body.nextLink);
    expect(`${next.protocol}//${next.host}${next.pathname}`).toBe(`${base()}/api/hubs/Hub1/groups/big%20grp/connections`);
    expect(next.searchParams.get('api-version')).toBe('2024-12-01');
    expect(next.searchParams.get('maxpagesize')).toBe('3');
    expect(next.searchParams.get('top')).toBe('1');
    // A nextLink request without api-version is accepted too (docs/protocol/rest-api.md §5).
    next.searchParams.delete('api-version');
    const second = await raw('GET', next.pathname + next.search);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ value: [{ connectionId: 'm3', userId: 'user 3' }] });
  });
});

describe('permissions', () => {
  it('grantPermission, hasPermission, revokePermission', async () => {
    await client.grantPermission('c1', 'sendToGroup', { targetName: 'g1' });
    expect(await client.hasPermission('c1', 'sendToGroup', { targetName: 'g1' })).toBe(true);
    expect(await client.hasPermission('c1', 'joinLeaveGroup', { targetName: 'g1' })).toBe(false);
    await client.revokePermission('c1', 'sendToGroup', { targetName: 'g1' });
    expect(await client.hasPermission('c1', 'sendToGroup', { targetName: 'g1' })).toBe(false);
    await client.grantPermission('c1', 'joinLeaveGroup');
    expect(fake.lastCall('grantPermission')!.args).toEqual([HUB, 'joinLeaveGroup', 'c1', undefined]);
  });

  it('grantPermission on a missing connection is a 404 RestError', async () => {
    const e = await restError(client.grantPermission('nobody', 'sendToGroup', { targetName: 'g' }));
    expect(e.statusCode).toBe(404);
  });
});

describe('client tokens', () => {
  it('getClientAccessToken signs locally (no REST call) and the token shape matches docs/protocol/auth.md §3', async () => {
    const { token, url } = await client.getClientAccessToken({ userId: 'u1', roles: ['webpubsub.joinLeaveGroup'] });
    expect(url).toBe(`ws://127.0.0.1:${port}/client/hubs/${HUB}?access_token=${token}`);
    const { payload } = await jwtVerify(token, new TextEncoder().encode(KEY), { audience: `${base()}/client/hubs/${HUB}` });
    expect(payload).toMatchObject({ sub: 'u1', role: ['webpubsub.joinLeaveGroup'] });
    expect(fake.calls).toEqual([]);
  });

  it(':generateToken returns a client JWT that jose verifies (raw request signed like the SDK)', async () => {
    const response = await raw(
      'POST',
      `/api/hubs/${HUB}/:generateToken?api-version=2024-12-01&userId=u%201&role=r1&role=r2&minutesToExpire=5&group=g1&group=g%202`,
    );
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(KEY), { audience: `${base()}/client/hubs/${HUB}` });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'u 1', role: ['r1', 'r2'], 'webpubsub.group': ['g1', 'g 2'] });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it(':generateToken without options gives only iat, exp (60 min) and aud', async () => {
    const response = await raw('POST', `/api/hubs/${HUB}/:generateToken?api-version=2024-12-01`);
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(KEY));
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat']);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });
});

describe('authentication', () => {
  it('accepts a token signed with the secondary key and with aud = URL without query', async () => {
    const r = await raw('HEAD', `/api/hubs/${HUB}/connections/c1?api-version=2024-12-01`, { key: SECONDARY, aud: `${base()}/api/hubs/${HUB}/connections/c1` });
    expect(r.status).toBe(200);
  });

  it('rejects a client token used against REST with 401 and the reason in the Bearer challenge', async () => {
    const r = await raw('POST', `/api/hubs/${HUB}/:send?api-version=2024-12-01`, { aud: `${base()}/client/hubs/${HUB}`, contentType: 'text/plain', body: 'x' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="The audience is invalid"');
    expect(await r.text()).toBe('');
    expect(fake.calls).toEqual([]);
  });

  it('rejects a missing token and a wrong key; the SDK sees RestError 401', async () => {
    const r = await fetch(`${base()}/api/hubs/${HUB}/:send?api-version=2024-12-01`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = new WebPubSubServiceClient(`Endpoint=http://127.0.0.1;Port=${port};AccessKey=not-the-key;Version=1.0;`, HUB, {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const e = await restError(wrong.sendToAll('x'));
    expect(e.statusCode).toBe(401);
    expect(e.response?.headers.get('www-authenticate')).toMatch(/error_description="The signature is invalid"/);
  });

  it('serves the health probe without a token', async () => {
    expect((await fetch(`${base()}/api/health`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base()}/api/health`)).status).toBe(200);
  });
});

describe('bad input → 4xx ErrorDetail, never 5xx', () => {
  it('an invalid filter is a RestError 400 with code Error.BadRequest and target filter', async () => {
    const e = await restError(client.sendToAll('x', { filter: 'not length(userId) gt 5' }));
    expect(e.statusCode).toBe(400);
    expect(JSON.parse(e.message).message).toBe("Invalid syntax for 'not length(userId) gt 5': Type 'int', expect 'bool'. (Parameter 'filter')");
    const r = await raw('POST', `/api/hubs/${HUB}/:send?api-version=2024-12-01&filter=userId%20eq`, { contentType: 'application/json', body: '1' });
    expect(r.headers.get('x-ms-error-code')).toBe('Error.BadRequest');
    expect(await r.json()).toMatchObject({ code: 'Error.BadRequest', target: 'filter' });
  });

  it('an out-of-range messageTtlSeconds is a RestError 400', async () => {
    const e = await restError(client.sendToAll('x', { messageTtlSeconds: 301 }));
    expect(e.statusCode).toBe(400);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"a":', 400, 'Error.BadRequest'],
    ['JSON with a charset parameter', 'application/json; charset=utf-8', '{"a":1}', 202, undefined],
    ['an unsupported content type', 'application/xml', '<a/>', 415, 'Error.UnsupportedMediaType'],
    ['no content type', undefined, Buffer.from('x'), 415, 'Error.UnsupportedMediaType'],
    ['text that is not UTF-8', 'text/plain', Buffer.from([0xff, 0xfe]), 400, 'Error.BadRequest'],
  ])('a send with %s', async (_name, contentType, body, status, code) => {
    const r = await raw('POST', `/api/hubs/${HUB}/:send?api-version=2024-12-01`, { ...(contentType ? { contentType } : {}), body });
    expect(r.status).toBe(status);
    if (code) expect(((await r.json()) as { code: string }).code).toBe(code);
    else expect(fake.deliveries).toHaveLength(4);
  });

  it('a body over 1 MB → 413', async () => {
    const r = await raw('POST', `/api/hubs/${HUB}/:send?api-version=2024-12-01`, {
      contentType: 'application/octet-stream',
      body: Buffer.alloc(1024 * 1024 + 1),
    });
    expect(r.status).toBe(413);
    expect(r.headers.get('x-ms-error-code')).toBe('Error.PayloadTooLarge');
    expect(fake.calls).toEqual([]);
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['without groups', '{"filter":"true"}', /Invalid group name/],
    ['with empty groups', '{"groups":[]}', /Invalid group name/],
    ['with a non-string group', '{"groups":[1]}', /Invalid group name/],
    ['with a non-string filter', '{"groups":["g"],"filter":5}', /must be a string/],
  ])('a bulk group body %s → 400', async (_name, body, message) => {
    const r = await raw('POST', `/api/hubs/${HUB}/:addToGroups?api-version=2024-12-01`, { contentType: 'application/json', body });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(message);
  });

  it('unknown paths → 404, wrong methods → 405 with Allow, missing api-version → 400', async () => {
    const notFound = await raw('GET', '/api/nothing/here');
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ code: 'Error.NotFound' });
    const wrongMethod = await raw('GET', `/api/hubs/${HUB}/:send?api-version=2024-12-01`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    const noVersion = await raw('POST', `/api/hubs/${HUB}/:closeConnections`);
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ code: 'Error.BadRequest', target: 'api-version' });
  });

  it('HEAD errors carry the code header but no body', async () => {
    const r = await raw('HEAD', `/api/hubs/1bad/connections/c1?api-version=2024-12-01`);
    expect(r.status).toBe(400);
    expect(r.headers.get('x-ms-error-code')).toBe('Error.BadRequest');
    expect(await r.text()).toBe('');
  });

  it('a failing ServiceOps becomes a 500 ErrorDetail without internals, and the server keeps serving', async () => {
    fake.removeUserFromAllGroups = () => {
      throw new Error('registry exploded');
    };
    const broken = await raw('DELETE', `/api/hubs/${HUB}/users/u1/groups?api-version=2024-12-01`);
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toContain('exploded');
    expect(await client.userExists('u1')).toBe(true);
  });
});

describe('logging', () => {
  it('writes one line per request with method, path without query, status and duration, and no token', async () => {
    logLines.length = 0;
    await client.sendToAll('x', { filter: "userId eq 'secret-ish'" });
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatch(/^POST \/api\/hubs\/Hub1\/:send 202 \d+\.\dms$/);
  });
});
