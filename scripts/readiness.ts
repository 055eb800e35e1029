/**
 * Polls `url` until `isReady(status)` or until `abort` fires (a child died, Ctrl-C).
 * Connection refused just means "not yet"; each attempt has its own short timeout.
 * `fatal` looks at each answer: a message it returns means waiting is pointless (the app answers,
 * but cannot work); the promise then rejects with a ReadinessError carrying that message.
 */
export class ReadinessError extends Error {
  override name = 'ReadinessError';
}

export async function waitForHttp(
  url: string,
  isReady: (status: number) => boolean,
  abort: AbortSignal,
  intervalMs = 150,
  fatal?: (status: number, body: string) => string | undefined,
): Promise<void> {
  while (!abort.aborted) {
    let answer: { status: number; body: string } | undefined;
    // One controller per attempt, unhooked from `abort` afterwards: AbortSignal.any() or a listener left on
    // `abort` per attempt would pile up on a slow start (Node warns past 10 listeners).
    const attempt = new AbortController();
    const cancel = () => attempt.abort(abort.reason);
    const timeout = setTimeout(() => attempt.abort(new Error('attempt timed out')), 5000);
    abort.addEventListener('abort', cancel, { once: true });
    try {
      const res = await fetch(url, { signal: attempt.signal });
      answer = { status: res.status, body: await res.text() };
    } catch {
      // not listening yet
    } finally {
      clearTimeout(timeout);
      abort.removeEventListener('abort', cancel);
    }
    if (answer) {
      const problem = fatal?.(answer.status, answer.body);
      if (problem !== undefined) throw new ReadinessError(problem);
      if (isReady(answer.status)) return;
    }
    await pause(intervalMs, abort);
  }
  throw abort.reason instanceof Error ? abort.reason : new Error('aborted');
}

/** Waits `ms`, or less if `abort` fires; leaves no listener behind either way. */
export function pause(ms: number, abort: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.addEventListener('abort', done, { once: true });
  });
}

/** The functions app's answer when a setting is wrong (functions/misconfigured.ts): its message, else undefined. */
export function misconfiguredMessage(status: number, body: string): string | undefined {
  if (status !== 500) return undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    return parsed.code === 'AppMisconfigured' && typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
