import { setMaxListeners } from 'node:events';

/**
 * Abort signals that give up on a REST call after about `timeoutMs`, shared by every call that starts within
 * one slice of time. `AbortSignal.timeout` per call costs a signal, a weak reference and a 10 s timer for
 * each message (about a tenth of the send path's CPU in bench scenario 5c, most of it garbage); here one
 * timer serves a slice. A call is aborted between `timeoutMs` and `timeoutMs + sliceMs` after it starts.
 */

export type CallDeadlines = () => AbortSignal;

export function createCallDeadlines(timeoutMs: number, options: { sliceMs?: number; now?: () => number } = {}): CallDeadlines {
  const sliceMs = options.sliceMs ?? Math.min(100, Math.max(1, Math.floor(timeoutMs / 10)));
  if (!(timeoutMs > 0 && sliceMs > 0 && sliceMs < timeoutMs)) throw new RangeError('a call deadline needs 0 < slice < timeout');
  const now = options.now ?? (() => performance.now());
  let signal: AbortSignal | undefined;
  let sliceEnds = -Infinity;
  return () => {
    const t = now();
    if (signal === undefined || t >= sliceEnds) {
      const controller = new AbortController();
      // Every call in flight in the slice listens to this one signal; that many listeners is expected, not a leak.
      setMaxListeners(Infinity, controller.signal);
      sliceEnds = t + sliceMs;
      // The same reason AbortSignal.timeout gives, so a timeout reads the same wherever it surfaces.
      setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs + sliceMs).unref();
      signal = controller.signal;
    }
    return signal;
  };
}
