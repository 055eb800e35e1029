import { runBenchModule } from '../../../support/bench-module';

// bench/load/fanout-loop.mjs: the closed loop shared by the Web PubSub, MQTT and SignalR fan-out load
// generators, driven here by fake transports that deliver each message to n receivers on demand.

interface Sends {
  sent: number[][];
  completed: number;
}

describe('fan-out closed loop', () => {
  it('keeps at most `window` messages undelivered and sends the next one when the oldest reaches all n', () => {
    const r = runBenchModule<Sends>(
      'load/fanout-loop.mjs',
      `
      const sends = [];
      const loop = m.createFanoutLoop({ n: 3, window: 4, send: (seq) => sends.push(seq) });
      const sent = [];
      loop.start();
      sent.push([...sends]);
      loop.deliver(2); // two receivers of message 0: not complete yet
      sent.push([...sends]);
      loop.deliver(); // the third: message 0 complete, one slot free
      sent.push([...sends]);
      loop.deliver(6); // messages 1 and 2 complete
      sent.push([...sends]);
      return { sent, completed: loop.completion.seen };`,
    );
    expect(r.sent).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4, 5, 6],
    ]);
    expect(r.completed).toBe(3);
  });

  it('sends bursts whole, only when the window has room for the entire burst', () => {
    const r = runBenchModule<Sends>(
      'load/fanout-loop.mjs',
      `
      const sends = [];
      const loop = m.createFanoutLoop({ n: 2, window: 6, burst: 3, send: (seq) => sends.push(seq) });
      const sent = [];
      loop.start();
      sent.push([...sends]);
      loop.deliver(2); // message 0 complete: room for 1, not for a burst of 3
      sent.push([...sends]);
      loop.deliver(4); // messages 1 and 2 complete: room for 3
      sent.push([...sends]);
      return { sent, completed: loop.completion.seen };`,
    );
    expect(r.sent).toEqual([
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    ]);
    expect(r.completed).toBe(3);
  });

  it('sends nothing after stop(), while deliveries still complete messages', () => {
    const r = runBenchModule<{ sent: number; completed: number; expected: number; delivered: number }>(
      'load/fanout-loop.mjs',
      `
      let sent = 0;
      const loop = m.createFanoutLoop({ n: 2, window: 2, send: () => sent++ });
      loop.start();
      loop.stop();
      loop.deliver(4);
      return { sent, completed: loop.completion.seen, expected: loop.expected, delivered: loop.delivered };`,
    );
    expect(r).toEqual({ sent: 2, completed: 2, expected: 4, delivered: 4 });
  });

  it('measures a window over a transport that delivers every message, and drains it', () => {
    const r = runBenchModule<Record<string, number | boolean | { events: number; capped: boolean }>>(
      'load/fanout-loop.mjs',
      `
      const n = 5;
      let loop;
      let afterStop = 0;
      let stopped = false;
      // Each message reaches the n receivers one turn later, one delivery at a time.
      const send = () => {
        if (stopped) afterStop++;
        setImmediate(() => { for (let k = 0; k < n; k++) loop.deliver(); });
      };
      loop = m.createFanoutLoop({ n, window: 4, send });
      const result = await m.measureFanoutLoop(loop, { warmup: { events: 500, minMs: 0, maxMs: 5000 }, measureMs: 200, serverPids: [process.pid] });
      stopped = true;
      await new Promise((r) => setTimeout(r, 50));
      return { ...result, afterStop, owed: loop.expected - loop.delivered };`,
    );
    expect(r.drained).toBe(true);
    expect(r.owed).toBe(0);
    expect(r.afterStop).toBe(0);
    expect(r.warmup).toMatchObject({ capped: false });
    expect((r.warmup as { events: number }).events).toBeGreaterThanOrEqual(500);
    expect(r.work).toBeGreaterThan(0);
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.messagesPerSecond).toBeGreaterThan(0);
    // Deliveries per message: n, up to the messages in flight at either mark.
    expect(Math.abs((r.work as number) / ((r.messagesPerSecond as number) * (r.seconds as number)) - 5)).toBeLessThan(1);
    expect(r.completionP50Ms).toBeGreaterThan(0);
    expect(r.completionP99Ms).toBeGreaterThanOrEqual(r.completionP50Ms as number);
  });

  it('reports a transport that loses a delivery as not drained', () => {
    const r = runBenchModule<{ drained: boolean; owed: number }>(
      'load/fanout-loop.mjs',
      `
      const n = 3;
      let loop;
      // Message 20 reaches only two of its three receivers.
      const send = (seq) => setImmediate(() => loop.deliver(seq === 20 ? n - 1 : n));
      loop = m.createFanoutLoop({ n, window: 4, send });
      const result = await m.measureFanoutLoop(loop, { warmup: { events: 30, minMs: 0, maxMs: 2000 }, measureMs: 50, serverPids: [], drainMs: 100 });
      return { drained: result.drained, owed: loop.expected - loop.delivered };`,
    );
    expect(r).toEqual({ drained: false, owed: 1 });
  });
});
