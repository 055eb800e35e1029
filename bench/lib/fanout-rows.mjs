// The three table rows of a fan-out scenario (Web PubSub, MQTT, SignalR): deliveries per server-CPU-second
// (the figure with the target), deliveries per wall second, and the p99 time to the last delivery.
import { row } from './harness.mjs';

/** `sentBy` names what starts a message ('POST', 'publish'); `wallNote` says what bounds the wall rate. */
export function fanoutRows(ctx, { scenario, m, target, notes, sentBy = 'POST', wallNote = 'load generator (1 core) bound' }) {
  row(ctx, { scenario, metric: 'deliveries per server-CPU-s', m, key: 'perCpuSecond', target, notes });
  row(ctx, { scenario, metric: 'deliveries/s (wall)', m, key: 'perSecond', notes: wallNote });
  row(ctx, { scenario, metric: 'p99 last-delivery ms', m, key: 'completionP99Ms', better: 'lower', notes: `${sentBy} → N-th delivery, closed loop` });
}
