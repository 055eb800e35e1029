import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../../support/process-group';
import { repoRoot } from '../../support/stack';
import { clientToken } from '../../support/signalr-clients';
import { DEV_KEY } from '../../support/functions-harness';

/** The built emulator CLI with --signalr-port: Web PubSub and SignalR Service side by side. */

let proc: GroupProcess | undefined;
afterEach(async () => {
  await proc?.stop('SIGTERM');
  proc = undefined;
});

it('serves Web PubSub on --port and SignalR Service on --signalr-port, with the development key', async () => {
  proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'emulator', 'main.js'), '--port', '0', '--signalr-port', '0'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH },
  });
  const [, wpsPort] = await proc.waitForOutput(/Web PubSub emulator listening on .*, port (\d+)/);
  const [, srPort] = await proc.waitForOutput(/SignalR Service emulator \(Serverless mode\) listening on .*, port (\d+)/);
  expect(wpsPort).not.toBe(srPort);
  const endpoint = `http://localhost:${srPort}`;
  const negotiate = await fetch(`${endpoint}/client/negotiate?hub=chat&negotiateVersion=1`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await clientToken(endpoint, 'chat', 'u', DEV_KEY)}` },
  });
  expect(negotiate.status).toBe(200);
  expect((await fetch(`http://localhost:${wpsPort}/api/health`)).status).toBe(200);
}, 30_000);
