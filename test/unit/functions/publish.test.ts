import { createPublishHandler } from '../../../functions/publish';
import { bodyText, captureServer, DEV_KEY, header, invocation, request, runtimeFor } from '../../support/functions-harness';

describe('POST /api/publish', () => {
  let server: Awaited<ReturnType<typeof captureServer>>;
  let answer: { status: number; body?: string } = { status: 202 };
  beforeAll(async () => {
    server = await captureServer(() => answer);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    answer = { status: 202 };
  });
  const handler = () =>
    createPublishHandler(runtimeFor({ WebPubSubConnectionString: `Endpoint=${server.endpoint};AccessKey=${DEV_KEY};Version=1.0;`, WebPubSubHub: 'chat,news' }));
  const post = async (body: string | Uint8Array) =>
    (await handler()(request({ method: 'POST', url: 'http://localhost:7071/api/publish', body }), invocation().context))!;

  it('202 {accepted: true} and the SDK request on the wire', async () => {
    const r = await post(JSON.stringify({ hub: 'news', group: 'g1', data: { headline: 'x' }, excluded: ['c1'] }));
    expect(r.status).toBe(202);
    expect(JSON.parse(bodyText(r))).toEqual({ accepted: true });
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.path).toBe('/api/hubs/news/groups/g1/:send');
    expect(sent.query.getAll('excluded')).toEqual(['c1']);
    expect(sent.contentType?.split(';')[0]).toBe('application/json');
    expect(JSON.parse(sent.body.toString())).toEqual({ headline: 'x' });
  });

  it('text to a connection goes as text/plain', async () => {
    await post(JSON.stringify({ connectionId: 'abc', data: 'hello', dataType: 'text' }));
    expect(server.requests[0]).toMatchObject({ path: '/api/hubs/chat/connections/abc/:send', contentType: expect.stringMatching(/^text\/plain/) });
    expect(server.requests[0]!.body.toString()).toBe('hello');
  });

  it.each([
    ['malformed JSON', '{'],
    ['two targets', JSON.stringify({ group: 'g', user: 'u', data: 1 })],
    ['unknown hub', JSON.stringify({ hub: 'x', data: 1 })],
    ['bad base64', JSON.stringify({ data: '***', dataType: 'binary' })],
  ])('400 for %s, nothing sent', async (_n, body) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(header(r, 'content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(bodyText(r))).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(server.requests).toHaveLength(0);
  });

  it("a user send excluding 100 connections fits the service's 4,096-character filter limit", async () => {
    const excluded = Array.from({ length: 100 }, (_, i) => `conn-${String(i).padStart(3, '0')}-0123456789abcdef01234567`);
    const r = await post(JSON.stringify({ user: 'alice', data: 1, excluded }));
    expect(r.status).toBe(202);
    const filter = server.requests[0]!.query.get('filter')!;
    expect(filter.length).toBeLessThanOrEqual(4096);
    expect(filter).toBe(`not(connectionId in (${excluded.map((id) => `'${id}'`).join(',')}))`);
  });

  it('a user send whose excluded ids cannot fit any filter → 400 naming "excluded", nothing sent', async () => {
    const excluded = Array.from({ length: 100 }, (_, i) => `${'x'.repeat(60)}${i}`);
    const r = await post(JSON.stringify({ user: 'alice', data: 1, excluded }));
    expect(r.status).toBe(400);
    expect(JSON.parse(bodyText(r))).toMatchObject({ code: 'ExcludedTooLong', message: expect.stringMatching(/"excluded" is too long/) });
    expect(server.requests).toHaveLength(0);
  });

  describe('requests from web pages (local publish has no key)', () => {
    const postFrom = async (origin: string, env: Record<string, string> = {}) => {
      const h = createPublishHandler(runtimeFor({ WebPubSubConnectionString: `Endpoint=${server.endpoint};AccessKey=${DEV_KEY};Version=1.0;`, ...env }));
      // A "simple" cross-origin request: text/plain, so the browser sends it without a preflight.
      return (await h(
        request({ method: 'POST', url: 'http://localhost:7071/api/publish', headers: { origin, 'content-type': 'text/plain' }, body: '{"data":"pwned"}' }),
        invocation().context,
      ))!;
    };

    it.each(['https://evil.example', 'null', 'http://localhost:7072'])('from %s → 403 CrossOriginPublish, nothing sent', async (origin) => {
      const r = await postFrom(origin);
      expect(r.status).toBe(403);
      expect(JSON.parse(bodyText(r))).toMatchObject({ code: 'CrossOriginPublish' });
      expect(server.requests).toHaveLength(0);
    });

    it('CorsAllowedOrigins "*" does not open publish to every page', async () => {
      expect((await postFrom('https://evil.example', { CorsAllowedOrigins: '*' })).status).toBe(403);
      expect(server.requests).toHaveLength(0);
    });

    it("the page's own origin, an origin listed by name, and callers without Origin (curl, servers) are served", async () => {
      expect((await postFrom('http://localhost:7071')).status).toBe(202);
      expect((await postFrom('https://ops.example', { CorsAllowedOrigins: 'https://ops.example' })).status).toBe(202);
      expect((await post(JSON.stringify({ data: 1 }))).status).toBe(202);
      expect(server.requests).toHaveLength(3);
    });
  });

  it.each([403, 500])('the service answering %i → 502 with the service status', async (status) => {
    answer = { status, body: JSON.stringify({ code: 'Nope', message: 'refused by test' }) };
    const r = await post(JSON.stringify({ data: 1 }));
    expect(r.status).toBe(502);
    const body = JSON.parse(bodyText(r)) as { code: string; message: string; serviceStatus: number };
    expect(body.code).toBe('ServiceError');
    expect(body.serviceStatus).toBe(status);
    expect(body.message).toMatch(/refused/);
    expect(bodyText(r)).not.toContain(DEV_KEY);
  });

  it('an unreachable service → 502 "unreachable at <endpoint>"', async () => {
    const dead = createPublishHandler(runtimeFor({ WebPubSubConnectionString: `Endpoint=http://127.0.0.1:1;AccessKey=${DEV_KEY};Version=1.0;` }));
    const r = (await dead(request({ method: 'POST', body: JSON.stringify({ data: 1 }) }), invocation().context))!;
    expect(r.status).toBe(502);
    expect(JSON.parse(bodyText(r)).message).toMatch(/Web PubSub service unreachable at http:\/\/127\.0\.0\.1:1/);
  });
});
