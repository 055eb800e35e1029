import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signHs256 } from '../../emulator/auth/hs256';
import { createRestHandler } from '../../emulator/rest/index';
import { FakeServiceOps } from '../support/fake-service-ops';
import { nastyString } from '../support/hostile-input';

/**
 * Random requests through the real REST edge (createRestHandler on node:http): whatever the method, path,
 * query, token and body, the answer is a complete HTTP response below 500 — never a 5xx, never a hang.
 */

const KEY = 'rest-fuzz-key-0123456789-0123456789-01';
/** encodeURIComponent that tolerates lone surrogates (sent as their UTF-8 replacement, as a browser would). */
const enc = (s: string) =>
  encodeURIComponent(
    s.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) =>
      /[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(i, i + 2)) || /[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(i - 1, i + 1)) ? c : '\ufffd',
    ),
  );

const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'hubs',
    'chat',
    'Chat',
    'users',
    'groups',
    'connections',
    'permissions',
    'sendToGroup',
    'joinLeaveGroup',
    ':send',
    ':closeConnections',
    ':addToGroups',
    ':removeFromGroups',
    ':generateToken',
    'health',
    'c1',
    'u1',
    'g1',
    '%2F',
    '%ZZ',
    '%00',
    '%0D%0AInjected:%201',
    '..',
    '',
    '__proto__',
    'constructor',
  ),
  nastyString.map((s) => enc(s.slice(0, 300))),
);
const queryPart = fc.oneof(
  fc.constantFrom(
    'api-version=2024-12-01',
    'api-version=1999-01-01',
    'filter=userId%20eq%20%27a%27',
    'filter=((((((',
    'filter=' + encodeURIComponent("'g' in groups or ".repeat(200) + 'true'),
    'maxpagesize=0',
    'maxpagesize=99999999999999999999',
    'top=-1',
    'continuationToken=%%%',
    'continuationToken=eyJ4IjoxfQ',
    'messageTtlSeconds=301',
    'role=x',
    'group=',
    'minutesToExpire=1e9',
    'targetName=%00',
    'excluded=',
    '__proto__=1',
    'constructor=x',
  ),
  fc.tuple(nastyString, nastyString).map(([k, v]) => `${enc(k.slice(0, 50))}=${enc(v.slice(0, 300))}`),
);
const requests = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  segments: fc.oneof(
    fc.array(segment, { minLength: 0, maxLength: 7 }),
    // Real routes with a generated parameter, so the operations themselves are exercised too.
    fc
      .tuple(
        fc.constantFrom(
          'hubs/chat/:send',
          'hubs/chat/users/{}/:send',
          'hubs/chat/groups/{}/:send',
          'hubs/chat/groups/{}/connections/c1',
          'hubs/chat/users/{}/groups/g1',
          'hubs/chat/groups/{}/connections',
          'hubs/chat/permissions/sendToGroup/connections/{}',
          'hubs/chat/:generateToken',
          'hubs/chat/:addToGroups',
          'hubs/{}/:closeConnections',
          'health',
        ),
        segment,
      )
      .map(([t, p]) => t.replace('{}', p).split('/')),
  ),
  apiPrefix: fc.boolean(),
  query: fc.tuple(fc.boolean(), fc.array(queryPart, { maxLength: 3 })).map(([v, q]) => (v ? ['api-version=2024-12-01', ...q] : q)),
  // Valid tokens weigh as much as the four bad kinds together, so that 600 runs reach the operations behind
  // the auth check every time (with equal weights a run sometimes produced no 2xx at all).
  auth: fc.oneof(
    { arbitrary: fc.constant('valid' as const), weight: 4 },
    { arbitrary: fc.constantFrom('none' as const, 'garbage' as const, 'wrong-aud' as const, 'other-key' as const), weight: 4 },
  ),
  contentType: fc.constantFrom(
    undefined,
    'application/json',
    'text/plain',
    'application/octet-stream',
    'application/xml',
    'application/json; charset=utf-16',
    '\u00e9',
  ),
  body: fc.oneof(
    fc.constant(''),
    fc.json(),
    nastyString,
    fc.constant('{"groups":["g"],"filter":"userId eq \'a\'"}'),
    fc.constant('{"groups":null}'),
    fc.constant('x'.repeat(1024 * 1024 + 1)),
  ),
});

describe('The REST edge (emulator/rest) over HTTP', () => {
  let server: http.Server;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  beforeAll(async () => {
    const ops = new FakeServiceOps();
    ops.connect('chat', 'c1', { userId: 'u1', groups: ['g1'] });
    server = http.createServer(createRestHandler({ ops, keys: [KEY] }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((r) => server.close(r));
  });

  function send(r: { method: string; path: string; headers: Record<string, string>; body: string }): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      // A failure bound, not a synchronisation: a hang fails the property.
      req.setTimeout(10_000, () => req.destroy(new Error(`no answer in 10 s to ${r.method} ${r.path.slice(0, 200)}`)));
      req.end(r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body);
    });
  }

  it('answers 600 generated requests with a complete response below 500', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests, async (g) => {
        const path = `${g.apiPrefix ? '/api/' : '/'}${g.segments.join('/')}${g.query.length ? `?${g.query.join('&')}` : ''}`;
        const url = `http://127.0.0.1:${port}${path}`;
        const token =
          g.auth === 'valid'
            ? signHs256({ aud: url, exp: Math.floor(Date.now() / 1000) + 60 }, KEY)
            : g.auth === 'wrong-aud'
              ? signHs256({ aud: `http://127.0.0.1:${port}/api/hubs/other/:send`, exp: Math.floor(Date.now() / 1000) + 60 }, KEY)
              : g.auth === 'other-key'
                ? signHs256({ aud: url, exp: Math.floor(Date.now() / 1000) + 60 }, 'another-key-0123456789-0123456789')
                : 'garbage.token.here';
        const headers: Record<string, string> = {};
        if (g.auth !== 'none') headers.authorization = `Bearer ${token}`;
        if (g.contentType) headers['content-type'] = g.contentType;
        const res = await send({ method: g.method, path, headers, body: g.body });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        // Error bodies are ErrorDetail JSON (docs/protocol/rest-api.md §1).
        if (res.status >= 400 && res.body !== '') expect(() => JSON.parse(res.body)).not.toThrow();
      }),
      { numRuns: 600 },
    );
    // The generator reaches the operations, not only the error paths.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
