import { runBenchModule } from '../../../support/bench-module';

// bench/lib/fanout-rows.mjs: the rows every fan-out scenario (Web PubSub, MQTT, SignalR) reports.
interface Row {
  scenario: string;
  metric: string;
  better: string;
  target: string;
  status: string;
  notes: string;
  ratio: number;
}

describe('fan-out rows', () => {
  it('reports CPU efficiency against its target, the wall rate, and the p99 to the last delivery', () => {
    const rows = runBenchModule<Row[]>(
      'lib/fanout-rows.mjs',
      `
      const run = (perCpuSecond, perSecond, completionP99Ms) => ({ perCpuSecond, perSecond, completionP99Ms });
      const sides = { ours: [run(900, 500, 10)], baseline: [run(1000, 400, 20)], oursError: null, baselineError: null, discarded: [] };
      const ctx = { rows: [] };
      m.fanoutRows(ctx, { scenario: '8. MQTT fan-out N=10', m: sides, target: { op: '>=', ratio: 0.8 }, notes: 'QoS 0', sentBy: 'publish' });
      return ctx.rows;`,
    );
    expect(rows.map((r) => [r.scenario, r.metric, r.better, r.target, r.status, r.notes, r.ratio])).toEqual([
      ['8. MQTT fan-out N=10', 'deliveries per server-CPU-s', 'higher', '>= 0.8x', 'met', 'QoS 0', 0.9],
      ['8. MQTT fan-out N=10', 'deliveries/s (wall)', 'higher', '', '', 'load generator (1 core) bound', 1.25],
      ['8. MQTT fan-out N=10', 'p99 last-delivery ms', 'lower', '', '', 'publish → N-th delivery, closed loop', 0.5],
    ]);
  });
});
