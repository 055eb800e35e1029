import { loadConfig } from '../../../../shared/config/app-config';
import { UpstreamServiceError } from '../../../../shared/http/errors';
import { publish } from '../../../../shared/api/publish';
import { parsePublishRequest } from '../../../../shared/api/publish-request';
import { jwtVerify } from 'jose';
import { createServer } from 'node:http';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { createHubService, createServiceClients, toServiceError } from '../../../../shared/hub/service-client';
import { captureServer } from '../../../support/functions-harness';

const KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';

describe('HubService over @azure/web-pubsub against a capture server (docs/protocol/rest-api.md §2–3)', () => {
  let server: Awaited<ReturnType<typeof captureServer>>;
  let status = 202;
  beforeAll(async () => {
    server = await captureServer((req) => {
      if (req.method === 'GET') return { status: 200, body: JSON.stringify({ value: [{ connectionId: 'c1', userId: 'u1' }, { connectionId: 'c2' }] }) };
      if (req.method === 'PUT') return { status: 200 };
      return { status };
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    status = 202;
  });
  const service = () =>
    createServiceClients(
      loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: `Endpoint=${server.endpoint};AccessKey=${KEY};Version=1.0;` }).service,
    ).forHub('chat');
  const send = (body: unknown) => publish(parsePublishRequest(JSON.stringify(body), ['chat']), service());

  it.each<[string, unknown, { path: string; type: string; body: string; query?: Record<string, string[]> }]>([
    ['json to all', { data: { hello: 'world' } }, { path: '/api/hubs/chat/:send', type: 'application/json', body: '{"hello":"world"}' }],
    ['a JSON string stays JSON text', { data: 'hi' }, { path: '/api/hubs/chat/:send', type: 'application/json', body: '"hi"' }],
    ['json null', { data: null }, { path: '/api/hubs/chat/:send', type: 'application/json', body: 'null' }],
    ['text to a group', { group: 'room 1', data: 'hi', dataType: 'text' }, { path: '/api/hubs/chat/groups/room%201/:send', type: 'text/plain', body: 'hi' }],
    [
      'binary to a user',
      { user: 'u/1', data: 'AAH/', dataType: 'binary' },
      { path: '/api/hubs/chat/users/u%2F1/:send', type: 'application/octet-stream', body: '\u0000\u0001\u00ff' },
    ],
    ['json to a connection', { connectionId: 'c1', data: [1] }, { path: '/api/hubs/chat/connections/c1/:send', type: 'application/json', body: '[1]' }],
    [
      'excluded to all',
      { data: 1, excluded: ['a', 'b'] },
      { path: '/api/hubs/chat/:send', type: 'application/json', body: '1', query: { excluded: ['a', 'b'] } },
    ],
    [
      'excluded to a group',
      { group: 'g', data: 1, excluded: ['a'] },
      { path: '/api/hubs/chat/groups/g/:send', type: 'application/json', body: '1', query: { excluded: ['a'] } },
    ],
    [
      'excluded to a user becomes a filter',
      { user: 'u', data: 1, excluded: ["a'b", 'c'] },
      { path: '/api/hubs/chat/users/u/:send', type: 'application/json', body: '1', query: { filter: ["not(connectionId in ('a''b','c'))"] } },
    ],
  ])('%s', async (_name, body, expected) => {
    await send(body);
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe(expected.path);
    expect(r.query.get('api-version')).toBe('2024-12-01');
    expect(r.contentType?.split(';')[0]).toBe(expected.type);
    expect(r.body.toString('latin1')).toBe(Buffer.from(expected.body, 'latin1').toString('latin1'));
    for (const [k, v] of Object.entries(expected.query ?? {})) expect(r.query.getAll(k)).toEqual(v);
    expect(r.authorization).toMatch(/^Bearer /);
  });

  it('signs every REST call with the access key, aud = the request URL (docs/protocol/auth.md §4)', async () => {
    await send({ data: 1 });
    await send({ data: 2 });
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) {
      const token = r.authorization!.replace(/^Bearer /, '');
      const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(KEY));
      expect(protectedHeader.alg).toBe('HS256');
      expect(String(payload.aud)).toMatch(new RegExp(`^${server.endpoint}/api/hubs/chat/:send\\?api-version=2024-12-01`));
    }
  });

  it('reuses one token per request URL: repeated sends carry the same token, a query makes its own (docs/protocol/auth.md §4)', async () => {
    const s = service();
    await s.sendToAll(1);
    // Seconds later a token signed per call (the SDK's own policy) would carry another iat.
    const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 5000);
    try {
      await s.sendToAll(2);
    } finally {
      later.mockRestore();
    }
    await s.sendToAll(3, { excluded: ['c1'] });
    const tokens = server.requests.map((r) => r.authorization!.replace(/^Bearer /, ''));
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    const { payload } = await jwtVerify(tokens[2]!, new TextEncoder().encode(KEY));
    expect(payload.aud).toBe(`${server.endpoint}/api/hubs/chat/:send?api-version=2024-12-01&excluded=c1`);
  });

  it('retries a 5xx once (the SDK retry policy, kept), with a valid token on both attempts', async () => {
    status = 503;
    const error = await service()
      .sendToAll(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamServiceError);
    expect((error as UpstreamServiceError).upstreamStatus).toBe(503);
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) await jwtVerify(r.authorization!.replace(/^Bearer /, ''), new TextEncoder().encode(KEY));
  });

  it('does not retry a 4xx, and the error names neither the key nor the token', async () => {
    status = 401;
    const error = (await service()
      .sendToAll(1)
      .catch((e: unknown) => e)) as Error;
    expect(server.requests).toHaveLength(1);
    const token = server.requests[0]!.authorization!.replace(/^Bearer /, '');
    expect(`${error.message} ${String(error.stack)}`).not.toContain(token);
    expect(`${error.message} ${String(error.stack)}`).not.toContain(KEY);
  });

  it('adds to groups and lists group members (paged iterator)', async () => {
    const s = service();
    await s.addConnectionToGroup('g', 'c1');
    expect(await s.listGroupConnections('g')).toEqual([{ connectionId: 'c1', userId: 'u1' }, { connectionId: 'c2' }]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /api/hubs/chat/groups/g/connections/c1',
      'GET /api/hubs/chat/groups/g/connections',
    ]);
  });

  it('asks whether a connection exists with HEAD (200 = yes, 404 = no)', async () => {
    status = 200;
    expect(await service().connectionExists('dev 1')).toBe(true);
    status = 404;
    expect(await service().connectionExists('dev 1')).toBe(false);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /api/hubs/chat/connections/dev%201', 'HEAD /api/hubs/chat/connections/dev%201']);
  });

  it.each([403, 400, 404])('the service answering %i → UpstreamServiceError carrying the status', async (code) => {
    status = code;
    const error = await send({ data: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpstreamServiceError);
    expect((error as UpstreamServiceError).upstreamStatus).toBe(code);
    expect((error as UpstreamServiceError).status).toBe(502);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('a refused connection → UpstreamServiceError naming the endpoint', async () => {
    const dead = createServiceClients(
      loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: `Endpoint=http://127.0.0.1:1;AccessKey=${KEY};Version=1.0;` }).service,
    ).forHub('chat');
    const error = await dead.sendToAll({ a: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpstreamServiceError);
    expect((error as Error).message).toMatch(/unreachable at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('toServiceError', () => {
  const endpoint = 'https://contoso.webpubsub.azure.com';

  it.each([
    ['the SDK transport failure (RestError, no status)', Object.assign(new Error('connect ECONNREFUSED'), { name: 'RestError', code: 'ECONNREFUSED' })],
    ['a bare socket error', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
    ['a DNS timeout', Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' })],
  ])('%s → 502 "unreachable" naming the endpoint', (_label, e) => {
    const mapped = toServiceError(e, 'send to all', endpoint);
    expect(mapped).toBeInstanceOf(UpstreamServiceError);
    expect(mapped.message).toBe(`Web PubSub service unreachable at ${endpoint} (send to all)`);
  });

  it('a fault of the app itself (a module that failed to load) is passed on, not called "unreachable"', () => {
    const fault = Object.assign(new Error("Cannot find module './azure-identity.js'"), { code: 'MODULE_NOT_FOUND' });
    expect(toServiceError(fault, 'send to all', endpoint)).toBe(fault);
    const misuse = Object.assign(new Error('The "data" argument must be of type string'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(toServiceError(misuse, 'send to all', endpoint)).toBe(misuse);
    const bug = new ReferenceError('x is not defined');
    expect(toServiceError(bug, 'send to all', endpoint)).toBe(bug);
  });

  it('a non-Error throw becomes an Error with its text', () => {
    const mapped = toServiceError('boom', 'send to all', endpoint);
    expect(mapped).not.toBeInstanceOf(UpstreamServiceError);
    expect(mapped.message).toBe('boom');
  });
});

describe('key mode service clients', () => {
  afterEach(() => jest.restoreAllMocks());
  const credentialOf = (c: WebPubSubServiceClient) => (c as unknown as { credential: { key: unknown } }).credential;

  it('share one credential across hubs and build no KeyObject for REST calls, which the token cache signs', async () => {
    // The module object itself (an import namespace cannot be spied on); service-client.ts calls through it.
    const createSecretKey = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'createSecretKey');
    const server = await captureServer(() => ({ status: 202 }));
    try {
      const clients = createServiceClients(
        loadConfig({ NegotiateAuth: 'dev', WebPubSubHub: 'a,b,c', WebPubSubConnectionString: `Endpoint=${server.endpoint};AccessKey=${KEY};Version=1.0;` })
          .service,
      );
      for (const hub of ['a', 'b', 'c']) await clients.forHub(hub).sendToAll({ hub });
      expect(server.requests).toHaveLength(3);
      expect(new Set(['a', 'b', 'c'].map((h) => credentialOf(clients.client(h)))).size).toBe(1);
      // One KeyObject: the REST token cache's, shared by every hub. None for the credentials (one per hub before).
      expect(createSecretKey).toHaveBeenCalledTimes(1);
      // Where the credential is used (the SDK's getClientAccessToken), its key is built once and the tokens verify.
      const [one, two] = [await clients.client('a').getClientAccessToken(), await clients.client('b').getClientAccessToken()];
      expect(createSecretKey).toHaveBeenCalledTimes(2);
      await expect(jwtVerify(one.token, new TextEncoder().encode(KEY))).resolves.toBeDefined();
      await expect(jwtVerify(two.token, new TextEncoder().encode(KEY))).resolves.toBeDefined();
    } finally {
      server.close();
    }
  });
});

describe('keyless service clients', () => {
  it('use DefaultAzureCredential and sign nothing locally', async () => {
    const config = loadConfig({
      NegotiateAuth: 'easyauth',
      WebPubSubConnectionString__serviceUri: 'https://contoso.webpubsub.azure.com',
      EventHandlerTokenTenantId: 'tenant1',
      EventHandlerTokenAudience: 'api://wps-upstream',
      EventHandlerTokenCallerObjectId: '00000000-0000-0000-0000-000000000001',
    });
    const client = createServiceClients(config.service).client('chat');
    expect(client.hubName).toBe('chat');
    expect(client.endpoint).toBe('https://contoso.webpubsub.azure.com');
    // The credential is a TokenCredential (DefaultAzureCredential), not a key.
    expect(typeof (client as unknown as { credential: { getToken?: unknown } }).credential.getToken).toBe('function');
  });
});

describe('a service that never answers', () => {
  it('fails with "did not answer in time" (502) instead of hanging', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const client = new WebPubSubServiceClient(`Endpoint=${endpoint};AccessKey=${KEY};Version=1.0;`, 'chat', {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
      });
      const err = await createHubService(client, endpoint, 300)
        .sendToAll({ a: 1 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamServiceError);
      expect((err as Error).message).toMatch(/did not answer in time/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
