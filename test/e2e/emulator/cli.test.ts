import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The CLI as users run it: bundled like scripts/build.mjs does, then started as a child process. */
const root = join(__dirname, '../../..');
let dir: string;
let bundle: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
  bundle = join(dir, 'main.js');
  await build({
    entryPoints: [join(root, 'emulator/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'silent',
  });
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bundle, ...args], { cwd: root });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

it('prints usage for --help and exits 0', async () => {
  const p = run(['--help']);
  expect(await p.exit).toBe(0);
  expect(p.stdout()).toContain('Usage: node dist/emulator/main.js');
});

it('refuses a bad flag with one clear line, the usage and exit code 2', async () => {
  const p = run(['--prot', '1']);
  expect(await p.exit).toBe(2);
  expect(p.stderr().split('\n')[0]).toBe('Unknown option --prot');
  expect(p.stderr()).toContain('Usage:');
  expect(p.stderr()).not.toMatch(/\bat .*\.js:\d+/);
});

it('reports a port in use in one line and exits 1', async () => {
  const blocker = http.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const p = run(['--port', String(port)]);
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toBe(`Port ${port} is already in use; choose another with --port\n`);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

it('starts, prints the connection string and hubs, answers health, and exits 0 on SIGTERM', async () => {
  const p = run(['--port', '0', '--key', 'my-chosen-key-0123456789', '--upstream', 'chat=http://localhost:7071/api/eventhandler?code=x']);
  const port = await new Promise<number>((resolve, reject) => {
    p.child.stdout.on('data', () => {
      const m = /Endpoint=http:\/\/localhost;Port=(\d+);AccessKey=my-chosen-key-0123456789;Version=1\.0;/.exec(p.stdout());
      if (m) resolve(Number(m[1]));
    });
    void p.exit.then(() => reject(new Error(`exited early: ${p.stderr()}`)));
  });
  expect(p.stdout()).toContain('chat: anonymousConnectPolicy=deny');
  expect(p.stdout()).toContain('http://localhost:7071/api/eventhandler?…');
  const status = await new Promise<number>((resolve, reject) => {
    http
      .request({ host: 'localhost', port, path: '/api/health', method: 'HEAD' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject)
      .end();
  });
  expect(status).toBe(200);
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
});
