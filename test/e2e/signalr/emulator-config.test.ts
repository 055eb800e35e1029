import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../../support/process-group';
import { repoRoot } from '../../support/stack';
import { clientToken, directConnection } from '../../support/signalr-clients';
import { DEV_KEY } from '../../support/functions-harness';

/**
 * The built emulator CLI with SignalR upstream templates from --config (docs/protocol/signalr.md §5.5):
 * each event goes to the first template whose patterns match it, driven by the official client.
 */

let proc: GroupProcess | undefined;
let upstream: http.Server | undefined;
let dir: string | undefined;
afterAll(async () => {
  await proc?.stop('SIGTERM');
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('sends each event to the first matching upstream template, and refuses an invocation no template matches', async () => {
  const seen: string[] = [];
  upstream = http.createServer((req, res) => {
    seen.push(req.url!);
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => upstream!.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'signalr-config-'));
  const config = join(dir, 'hubs.json');
  writeFileSync(
    config,
    JSON.stringify({
      signalr: {
        upstream: {
          templates: [
            { hubPattern: 'chat', categoryPattern: 'connections', urlTemplate: `${up}/lifetime/{event}` },
            { hubPattern: 'chat,news', eventPattern: 'shout,whisper', urlTemplate: `${up}/{hub}/{category}/{event}` },
          ],
        },
      },
    }),
  );
  proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'emulator', 'main.js'), '--service', 'signalr', '--port', '0', '--config', config], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH },
  });
  const [, port] = await proc.waitForOutput(/SignalR Service emulator \(Serverless mode\) listening on .*, port (\d+)/);
  await proc.waitForOutput(/Upstream \(first match\): hub chat category connections event \* ->/);
  const endpoint = `http://localhost:${port}`;
  const conn = directConnection(`${endpoint}/client/?hub=chat`, await clientToken(endpoint, 'chat', 'ann', DEV_KEY), 'WebSockets', 'json');
  await conn.start();
  try {
    await conn.invoke('shout', 'hi');
    await expect(conn.invoke('sing', 'la')).rejects.toThrow(/No upstream is configured/);
  } finally {
    await conn.stop();
  }
  const deadline = Date.now() + 5000;
  while (!seen.includes('/lifetime/disconnected') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(seen).toEqual(['/lifetime/connected', '/chat/messages/shout', '/lifetime/disconnected']);
}, 30_000);
