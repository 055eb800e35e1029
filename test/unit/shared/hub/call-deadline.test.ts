import { getMaxListeners, once } from 'node:events';
import { createCallDeadlines } from '../../../../shared/hub/call-deadline';

describe('createCallDeadlines', () => {
  it('gives the calls of one slice one signal, and a new slice a new one', () => {
    let t = 1000;
    const deadline = createCallDeadlines(10_000, { sliceMs: 100, now: () => t });
    const a = deadline();
    t += 99;
    expect(deadline()).toBe(a);
    t += 1;
    const b = deadline();
    expect(b).not.toBe(a);
    expect(a.aborted || b.aborted).toBe(false);
  });

  it('aborts no sooner than the timeout, with the reason AbortSignal.timeout gives', async () => {
    const started = performance.now();
    const signal = createCallDeadlines(60, { sliceMs: 10 })();
    await once(signal, 'abort');
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('lets every call in flight listen to the shared signal without a leak warning (no listener cap)', () => {
    // Node warns past 10 abort listeners on one AbortSignal unless its cap is lifted.
    expect(getMaxListeners(new AbortController().signal)).toBe(10);
    expect(getMaxListeners(createCallDeadlines(10_000)())).toBe(Infinity);
  });

  it('refuses a slice as long as the timeout', () => {
    expect(() => createCallDeadlines(100, { sliceMs: 100 })).toThrow(RangeError);
    expect(() => createCallDeadlines(0)).toThrow(RangeError);
  });
});
