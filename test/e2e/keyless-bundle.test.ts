/**
 * The built Functions bundle in keyless mode, through the local host: DefaultAzureCredential lives in
 * dist/functions/azure-identity.js (scripts/build.mjs defers it), so this proves the bundle finds and
 * runs it. With no Azure identity on this machine, negotiate must fail as "no Microsoft Entra token"
 * (502), not as a missing module or an unreachable service.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../support/process-group';

const root = join(__dirname, '..', '..');

describe('keyless mode in the built bundle', () => {
  let host: GroupProcess;
  let base: string;
  let appDir: string;

  beforeAll(async () => {
    // An app folder holding only what a deployment holds (no local.settings*.json, whose key would win).
    appDir = mkdtempSync(join(tmpdir(), 'keyless-app-'));
    symlinkSync(join(root, 'dist'), join(appDir, 'dist'), 'dir');
    copyFileSync(join(root, 'host.json'), join(appDir, 'host.json'));
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'keyless', main: 'dist/functions/main.js' }));
    host = spawnGroup(process.execPath, [join(root, 'dist', 'local-host', 'main.js'), '--app', appDir], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        HOME: appDir, // no developer credentials (Azure CLI, azd) can be found
        PORT: '0',
        NegotiateAuth: 'dev',
        WebPubSubHub: 'chat',
        // Nothing listens on port 9: were a token found, the REST call would fail as "unreachable".
        WebPubSubConnectionString__serviceUri: 'https://127.0.0.1:9',
        EventHandlerTokenTenantId: '00000000-0000-0000-0000-000000000001',
        EventHandlerTokenAudience: 'api://keyless-test',
        EventHandlerTokenCallerObjectId: '00000000-0000-0000-0000-000000000002',
      },
    });
    const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    await host?.stop('SIGTERM');
    rmSync(appDir, { recursive: true, force: true });
  });

  it('negotiate loads DefaultAzureCredential on demand and reports the missing identity as 502', async () => {
    const res = await fetch(`${base}/api/negotiate?userId=alice`);
    const body = (await res.json()) as { code: string; message: string };
    expect(res.status).toBe(502);
    expect(body.code).toBe('ServiceError');
    expect(body.message).toMatch(/no Microsoft Entra token for the Web PubSub service/);
    expect(host.stdout() + host.stderr()).not.toMatch(/Cannot find module/);
  });
});
