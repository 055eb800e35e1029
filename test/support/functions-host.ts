import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from './process-group';
import { repoRoot } from './stack';
import { DEV_KEY } from './functions-harness';

/** The real Functions app (dist/functions/main.js) in the local host, on a given port, pointed at an emulator port. */
export async function startFunctions(port: number, emulatorPort: number): Promise<GroupProcess> {
  const host = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'local-host', 'main.js'), '--port', String(port), '--app', repoRoot], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NegotiateAuth: 'dev',
      WebPubSubHub: 'chat',
      WebPubSubConnectionString: `Endpoint=http://localhost;Port=${emulatorPort};AccessKey=${DEV_KEY};Version=1.0;`,
    },
  });
  try {
    await host.waitForOutput(/Host listening on/);
  } catch (e) {
    await host.stop('SIGKILL');
    throw e;
  }
  return host;
}

export { DEV_KEY };
