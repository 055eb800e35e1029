import { occupyPort } from '../support/busy-port';
/**
 * The local Functions host over real HTTP, against a fixture app (test/fixtures/local-host-app) that
 * registers through @azure/functions exactly as the real app does. Uses the built dist/local-host/main.js.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../support/process-group';

const root = join(__dirname, '..', '..');
const hostScript = join(root, 'dist', 'local-host', 'main.js');
const fixtureApp = join(root, 'test', 'fixtures', 'local-host-app');

function startHost(args: string[], env: NodeJS.ProcessEnv = {}): GroupProcess {
  return spawnGroup(process.execPath, [hostScript, ...args], { cwd: root, env: { PATH: process.env.PATH, PORT: '0', ...env } });
}

describe('local Functions host with the fixture app', () => {
  let host: GroupProcess;
  let base: string;

  beforeAll(async () => {
    host = startHost(['--app', fixtureApp, '--max-body', String(1024 * 1024)], { FIXTURE_OVERRIDE: 'from the environment' });
    const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    const exit = await host.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    // appStart and appTerminate share one hookData, as in the worker.
    expect(host.stdout()).toContain('appTerminate sees hookData.startedBy=appStart');
  });

  it('passes no body for a request without one, and the body for a request with one', async () => {
    expect(await (await fetch(`${base}/fx/bodyless`, { method: 'POST' })).json()).toEqual({ body: '', hasBody: false });
    expect(await (await fetch(`${base}/fx/bodyless`, { method: 'POST', body: 'x' })).json()).toEqual({ body: 'x', hasBody: true });
  });

  it('reads a chunked body (no Content-Length), and keeps serving the connection after a bodyless request', async () => {
    const chunks = [Buffer.from('first '), Buffer.from('second')];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const res = await fetch(`${base}/fx/bodyless`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ body: 'first second', hasBody: true });
    const empty = await fetch(`${base}/fx/bodyless`, { method: 'POST', headers: { 'content-length': '0' } });
    expect(await empty.json()).toEqual({ body: '', hasBody: false });
    expect(await (await fetch(`${base}/fx/bodyless`, { method: 'POST', body: 'after' })).json()).toEqual({ body: 'after', hasBody: true });
  });

  it('lists every HTTP function with its methods and URL under the host.json route prefix', () => {
    const out = host.stdout();
    expect(out).toContain(`hello: [GET,POST] ${base}/fx/hello/{name?}`);
    expect(out).toContain(`files: [GET] ${base}/fx/files/{*path}`);
    expect(out).toContain(`DefaultRoute: [GET] ${base}/fx/DefaultRoute`);
    expect(out).toContain('Settings: local.settings.sample.json');
  });

  it('says that a timer trigger is not supported instead of failing', async () => {
    // stderr is a pipe of its own: its data may reach this process after the "listening" line on stdout.
    await host.waitForOutput(/tick: timerTrigger is not supported/);
    expect(host.stderr()).toContain('tick: timerTrigger is not supported by the local host (HTTP triggers only); skipped.');
  });

  it('passes route parameters (optional ones too) and repeated query values', async () => {
    expect(await (await fetch(`${base}/fx/hello/bob?punct=!`)).text()).toBe('Hello, bob!');
    expect(await (await fetch(`${base}/fx/hello`, { method: 'POST' })).text()).toBe('Hello, world');
    expect(await (await fetch(`${base}/fx/items/42?tag=a&tag=b`)).json()).toEqual({ id: 42, tags: 'a,b', method: 'GET' });
  });

  it('honours an int constraint and prefers it over a plain parameter', async () => {
    expect(await (await fetch(`${base}/fx/items/abc`)).json()).toEqual({ name: 'abc' });
  });

  it('matches a catch-all with and without a rest, and routes case-insensitively', async () => {
    expect(await (await fetch(`${base}/fx/files/a/b.txt`)).json()).toEqual({ path: 'a/b.txt' });
    expect(await (await fetch(`${base}/fx/files`)).json()).toEqual({ path: null });
    expect(await (await fetch(`${base}/FX/defaultroute`)).text()).toBe('default route');
  });

  it('does not enforce function keys locally (authLevel function answers without ?code=)', async () => {
    expect((await fetch(`${base}/fx/hello/x`)).status).toBe(200);
  });

  it('round-trips a binary request body and headers, with the function status', async () => {
    const bytes = randomBytes(4096);
    const res = await fetch(`${base}/fx/echo`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/x-test', 'x-test': 'yes' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/x-test');
    expect(res.headers.get('x-echo-header')).toBe('yes');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends binary, streamed and JSON bodies as the function produced them', async () => {
    expect([...new Uint8Array(await (await fetch(`${base}/fx/binary`)).arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(await (await fetch(`${base}/fx/stream`)).text()).toBe('chunk-1;chunk-2');
    const json = await fetch(`${base}/fx/setting`);
    expect(json.headers.get('content-type')).toBe('application/json');
  });

  it('sends one Set-Cookie header per cookie', async () => {
    const res = await fetch(`${base}/fx/cookie`);
    expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Strict', 'theme=dark; Max-Age=60']);
  });

  it('answers 204 when the function returns nothing', async () => {
    const res = await fetch(`${base}/fx/nothing`);
    expect(res.status).toBe(204);
  });

  it('runs postInvocation hooks, which can change the result', async () => {
    const res = await fetch(`${base}/fx/hooked`);
    expect(res.headers.get('x-from-handler')).toBe('yes');
    expect(res.headers.get('x-post-hook')).toBe('ran');
  });

  it('loads settings without overriding variables already set', async () => {
    expect(await (await fetch(`${base}/fx/setting`)).json()).toEqual({ greeting: 'hello from the settings file', override: 'from the environment' });
    expect(host.stdout()).toContain('kept from the environment: FIXTURE_OVERRIDE');
  });

  it('answers 500 for a throwing handler, logs the error and keeps serving', async () => {
    expect((await fetch(`${base}/fx/boom`)).status).toBe(500);
    await host.waitForOutput(/Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]+, Duration=\d+ms\) 500/);
    await host.waitForOutput(/kaboom from the fixture/);
    expect((await fetch(`${base}/fx/hello/after`)).status).toBe(200);
  });

  it("logs one line per invocation and the function's own logs", async () => {
    await fetch(`${base}/fx/hello/logged`);
    await host.waitForOutput(/\[log hook\] hello invoked for logged/);
    await host.waitForOutput(/Executed 'Functions\.hello' \(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\) 200 GET \/fx\/hello\/logged/);
  });

  it('answers 404 for an unknown route or a method the function does not accept', async () => {
    expect((await fetch(`${base}/fx/nope`)).status).toBe(404);
    expect((await fetch(`${base}/fx/binary`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await fetch(`${base}/fx/echo`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });

  it('answers CORS preflights for allowed origins (Host.CORS) and adds headers to responses', async () => {
    const preflight = await fetch(`${base}/fx/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'http://allowed.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-test' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('x-test');

    const denied = await fetch(`${base}/fx/echo`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();

    const actual = await fetch(`${base}/fx/binary`, { headers: { origin: 'http://allowed.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
  });
});

describe('local Functions host with --quiet', () => {
  it("writes no line per successful invocation, but still the app's own logs and every failure", async () => {
    const host = startHost(['--app', fixtureApp, '--quiet']);
    try {
      const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
      const base = `http://localhost:${port}`;
      expect((await fetch(`${base}/fx/hello/hushed`)).status).toBe(200);
      await host.waitForOutput(/\[log hook\] hello invoked for hushed/);
      expect((await fetch(`${base}/fx/boom`)).status).toBe(500);
      await host.waitForOutput(/Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]+, Duration=\d+ms\) 500/);
    } finally {
      await host.stop('SIGTERM');
    }
    // Stopped: every line the host wrote has been read.
    expect(host.stdout()).toContain('[log hook] hello invoked for hushed');
    expect(host.stdout() + host.stderr()).not.toMatch(/Executed 'Functions\.hello'/);
  });
});

describe('local Functions host failures', () => {
  const busy = occupyPort();

  it('prints one line and exits 1 when the port is taken', async () => {
    const host = startHost(['--app', fixtureApp], { PORT: String(busy.port()) });
    const exit = await host.exited;
    expect(exit.code).toBe(1);
    expect(host.stderr().trim().split('\n').pop()).toBe(`Port ${busy.port()} is already in use. Set PORT to another port.`);
    expect(host.stderr()).not.toMatch(/^\s+at /m);
  });

  it("prints the app's load error on one line, without a stack trace, and exits 1", async () => {
    const host = startHost(['--app', join(root, 'test', 'fixtures', 'local-host-broken-app')]);
    const exit = await host.exited;
    expect(exit.code).toBe(1);
    const lines = host.stderr().trim().split('\n');
    expect(lines).toEqual([
      'The Functions app failed to load (main.js): Invalid settings: WebPubSubConnectionString is missing. Set it in local.settings.json.',
    ]);
  });
});

describe('local Functions host with the real app (dist/functions/main.js)', () => {
  let host: GroupProcess;
  let base: string;
  const connectionString = 'Endpoint=http://localhost;Port=1;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;';

  beforeAll(async () => {
    // Negotiate signs the client token locally, so no emulator is needed here.
    host = startHost(['--app', root, '--static', join(root, 'dist', 'web')], { WebPubSubConnectionString: connectionString, NegotiateAuth: 'dev' });
    const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    await host.stop('SIGTERM');
  });

  it("captures the app's registrations, including the page", () => {
    for (const fn of ['negotiate', 'eventhandler', 'publish', 'web']) expect(host.stdout()).toMatch(new RegExp(`  ${fn}: \\[[A-Z,]+\\] ${base}/api/`));
  });

  it('negotiates a client access URL for the emulator endpoint', async () => {
    const res = await fetch(`${base}/api/negotiate?userId=alice`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; baseUrl: string; token: string };
    expect(body.baseUrl).toBe('ws://localhost:1/client/hubs/chat');
    expect(body.url).toBe(`${body.baseUrl}?access_token=${body.token}`);
  });

  it('serves the built page at / (static) and at /api/chat/ (the web function)', async () => {
    const [atRoot, atApi] = await Promise.all([fetch(`${base}/`), fetch(`${base}/api/chat/`)]);
    expect(await atRoot.text()).toBe(await atApi.text());
    expect(atApi.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${base}/../local.settings.sample.json`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/package.json`)).status).toBe(404);
  });
});

describe('local Functions host with bad settings for the real app', () => {
  it('loads the app anyway, lists its functions, and answers 500 naming the setting (as the app does in Azure)', async () => {
    const host = startHost(['--app', root], { WebPubSubConnectionString: 'not a connection string' });
    try {
      const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
      const base = `http://localhost:${port}`;
      // The app prints its own "Configuration error" line at load (functions/startup.ts).
      await host.waitForOutput(/Configuration error: WebPubSubConnectionString: "not a connection string"/);
      for (const fn of ['negotiate', 'eventhandler', 'publish', 'web']) expect(host.stdout()).toContain(`  ${fn}: [`);
      for (const path of ['/api/negotiate?userId=a', '/api/negotiate?userId=b']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(500);
        expect(((await res.json()) as { message: string }).message).toMatch(
          /^This Functions app is not configured correctly\. Fix the application setting WebPubSubConnectionString /,
        );
      }
      // The page does not need the settings.
      expect((await fetch(`${base}/api/chat/`)).status).toBe(200);
      // Logged with the first request only, once per instance.
      await host.waitForOutput(
        /Executed 'Functions\.negotiate' \(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\) 500 GET \/api\/negotiate[\s\S]*Executed 'Functions\.negotiate'/,
      );
      expect(host.stderr().match(/Configuration error:/g)).toHaveLength(2);
      expect(host.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await host.stop('SIGTERM');
    }
  });
});
