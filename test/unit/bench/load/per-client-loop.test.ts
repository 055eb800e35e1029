import { runBenchModule } from '../../../support/bench-module';

// bench/load/per-client-loop.mjs: the one-request-in-flight-per-client loop shared by the round-trip and
// invoke load generators, driven here by fake transports in place of WebSocket clients.

const wording = `{ none: 'no reply', stalled: 'replies stalled' }`;

/** The error message of a one-client measurement (stall after 100 ms) over the transport `send`. */
function measureError(send: string, measure: string): string {
  return runBenchModule<{ error: string }>(
    'load/per-client-loop.mjs',
    `
    let loop;
    loop = m.createPerClientLoop({ clients: 1, request: (i, n) => 'q' + n, send: ${send} });
    try {
      await m.measurePerClientLoop(loop, { warmup: { events: 20, minMs: 0, maxMs: 5000 }, ${measure}, serverPids: [], stallMs: 100, wording: ${wording} });
      return { error: 'resolved' };
    } catch (e) {
      return { error: e.message };
    }`,
  ).error;
}

describe('per-client closed loop', () => {
  it('keeps one request in flight per client and sends the next one on each reply', () => {
    const r = runBenchModule<{ sent: string[][]; current: number[]; done: number }>(
      'load/per-client-loop.mjs',
      `
      const sends = [];
      const loop = m.createPerClientLoop({ clients: 2, request: (i, n) => i + ':' + n, send: (i, text) => sends.push(text) });
      const sent = [];
      loop.start();
      sent.push([...sends]);
      loop.replied(1);
      sent.push([...sends]);
      loop.stop();
      loop.replied(0); // stopping: counted, nothing new sent
      sent.push([...sends]);
      return { sent, current: [loop.current(0), loop.current(1)], done: loop.done };`,
    );
    expect(r.sent).toEqual([
      ['0:1', '1:1'],
      ['0:1', '1:1', '1:2'],
      ['0:1', '1:1', '1:2'],
    ]);
    expect(r.current).toEqual([1, 2]);
    expect(r.done).toBe(2);
  });

  it('measures a window over a transport that answers every request, for every client', () => {
    const r = runBenchModule<Record<string, unknown>>(
      'load/per-client-loop.mjs',
      `
      let loop;
      const bad = [];
      const send = (i, text) =>
        setImmediate(() => (text === i + ':' + loop.current(i) ? loop.replied(i) : bad.push(text)));
      loop = m.createPerClientLoop({ clients: 3, request: (i, n) => i + ':' + n, send });
      const result = await m.measurePerClientLoop(loop, { warmup: { events: 300, minMs: 0, maxMs: 5000 }, measureMs: 200, serverPids: [process.pid], wording: ${wording} });
      const doneAtEnd = loop.done;
      await new Promise((r) => setTimeout(r, 50));
      return { ...result, bad, perClient: [0, 1, 2].map((i) => loop.current(i)), sentAfterEnd: loop.done - doneAtEnd };`,
    );
    expect(r.bad).toEqual([]);
    expect(r.unexpected).toBeNull();
    expect(r.work).toBeGreaterThan(0);
    expect((r.warmup as { events: number }).events).toBeGreaterThanOrEqual(300);
    for (const n of r.perClient as number[]) expect(n).toBeGreaterThan(100);
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms as number);
    // Stopped: no request is sent (so none answered) once the measurement has resolved.
    expect(r.sentAfterEnd).toBe(0);
  });

  it('fails the warm-up of a transport that never answers, naming the first unexpected frame', () => {
    const error = measureError(`() => loop.unexpected('{"type":"nope"}')`, 'measureMs: 100');
    expect(error).toBe('no reply for 100 ms; got {"type":"nope"}');
  });

  it('fails a measurement during which the replies stop', () => {
    // Answers the first 50 requests only.
    const error = measureError(`(i) => loop.done < 50 && setImmediate(() => loop.replied(i))`, 'measureMs: 2000');
    expect(error).toBe('replies stalled during the measurement');
  });
});
