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
    try {
      const res = await fetch(url, { signal: AbortSignal.any([abort, AbortSignal.timeout(5000)]) });
      answer = { status: res.status, body: await res.text() };
    } catch {
      // not listening yet
    }
    if (answer) {
      const problem = fatal?.(answer.status, answer.body);
      if (problem !== undefined) throw new ReadinessError(problem);
      if (isReady(answer.status)) return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      abort.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  throw abort.reason instanceof Error ? abort.reason : new Error('aborted');
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
