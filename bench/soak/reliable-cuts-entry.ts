/**
 * Full-size run of the reliable-cuts fault test (test/e2e/faults/reliable-cuts.test.ts runs 20 × 200):
 * 100 clients × 1000 messages through groups, random socket cuts, exactly once and in order per sender.
 */
import { startEmulator } from '../../emulator/server';
import { CuttingProxy, deliveryProblems, runReliableCuts } from '../../test/support/reliable-cuts';

void (async () => {
  const arg = (name: string, dflt: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
  const clients = arg('--clients', 100);
  const messages = arg('--messages', 1000);
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', keys: ['soak-reliable-cuts-key-0123456789-0123456789'] });
  const proxy = new CuttingProxy(emulator.port);
  const proxyPort = await proxy.listen();
  const heapBefore = process.memoryUsage().heapUsed;
  const result = await runReliableCuts({
    connectionString: emulator.connectionString,
    proxyPort,
    hub: 'cuts',
    clients,
    messages,
    cutEveryMs: 100,
    cutsPerTick: 3,
    proxy,
  });
  const problems = deliveryProblems(result, clients, messages);
  const delivered = result.received.reduce((n, r) => n + r.length, 0);
  await proxy.close();
  await emulator.close();
  const summary = {
    clients,
    messages,
    delivered,
    expected: clients * messages,
    cuts: result.cuts,
    sendRetries: result.retries,
    durationMs: result.durationMs,
    problems,
    heapGrowthMb: +((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(1),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
})();
