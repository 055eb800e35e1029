/**
 * Polls `url` until `isReady(status)` or until `abort` fires (a child died, Ctrl-C).
 * Connection refused just means "not yet"; each attempt has its own short timeout.
 */
export async function waitForHttp(
  url: string,
  isReady: (status: number) => boolean,
  abort: AbortSignal,
  intervalMs = 150,
): Promise<void> {
  while (!abort.aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.any([abort, AbortSignal.timeout(5000)]) });
      await res.arrayBuffer();
      if (isReady(res.status)) return;
    } catch {
      // not listening yet
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      abort.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  throw abort.reason instanceof Error ? abort.reason : new Error('aborted');
}
