import { findFreePorts } from '../../../scripts/ports';
import type { RunningEmulator } from '../../../emulator/server';
import type { GroupProcess } from '../../support/process-group';
import { start } from '../../support/emulator-harness';
import { DEV_KEY, startFunctions } from '../../support/functions-host';

/**
 * The emulator is restarted under running functions: /api/publish answers 502 with the reason while it is
 * down, and works again after, without restarting the functions.
 */

describe('Emulator restarted under the functions', () => {
  let emulatorPort: number;
  let functionsPort: number;
  let emulator: RunningEmulator | undefined;
  let functions: GroupProcess;
  beforeAll(async () => {
    [emulatorPort, functionsPort] = (await findFreePorts(2)) as [number, number];
    emulator = await start({ port: emulatorPort, keys: [DEV_KEY] });
    functions = await startFunctions(functionsPort, emulatorPort);
  });
  afterAll(async () => {
    await functions.stop('SIGKILL');
    await emulator?.close();
  });

  const publish = async () => {
    const res = await fetch(`http://localhost:${functionsPort}/api/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { text: 'hi' } }),
    });
    return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
  };

  it('publish: 202 → 502 with the reason while the emulator is down → 202 after it is back', async () => {
    expect((await publish()).status).toBe(202);
    await emulator!.close();
    emulator = undefined;
    const down = await publish();
    expect(down.status).toBe(502);
    expect(down.body.code).toBe('ServiceError');
    expect(down.body.message).toMatch(new RegExp(`unreachable at http://localhost:${emulatorPort}`));
    emulator = await start({ port: emulatorPort, keys: [DEV_KEY] });
    expect((await publish()).status).toBe(202);
    expect(functions.child.exitCode).toBeNull();
  }, 60_000);
});
