import type { RunningEmulator } from '../../../emulator/server';
import { start } from '../../support/emulator-harness';
import { CuttingProxy, deliveryProblems, runReliableCuts } from '../../support/reliable-cuts';

/**
 * Sockets cut at random under load with the reliable protocol (docs/protocol/client-protocols.md §4): 20 clients × 200
 * messages here (100 × 1000 in bench/soak/reliable-cuts.mjs), random live connections destroyed every
 * 100 ms; every message must arrive exactly once and in order per sender.
 */

const CLIENTS = 20;
const MESSAGES = 200;

describe('Reliable clients under random socket cuts', () => {
  let emulator: RunningEmulator;
  let proxy: CuttingProxy;
  beforeAll(async () => {
    emulator = await start();
    proxy = new CuttingProxy(emulator.port);
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  it(`${CLIENTS} clients × ${MESSAGES} group messages: exactly once, in order per sender, despite the cuts`, async () => {
    const proxyPort = await proxy.listen();
    const result = await runReliableCuts({
      connectionString: emulator.connectionString,
      proxyPort,
      hub: 'cuts',
      clients: CLIENTS,
      messages: MESSAGES,
      cutEveryMs: 100,
      cutsPerTick: 2,
      proxy,
    });
    expect(deliveryProblems(result, CLIENTS, MESSAGES)).toEqual([]);
    expect(result.cuts).toBeGreaterThan(5);
    console.log(`reliable cuts: ${CLIENTS}×${MESSAGES} in ${result.durationMs} ms, ${result.cuts} cuts, ${result.retries} send retries`);
  }, 120_000);
});
