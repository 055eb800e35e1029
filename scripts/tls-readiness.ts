import https from 'node:https';

/**
 * Polls an https URL served with a certificate of the local CA (which this process does not trust by
 * default, and fetch cannot be told about) until it answers 200 or `abort` fires.
 */
export async function waitForHttps(url: string, ca: string, abort: AbortSignal, intervalMs = 150): Promise<void> {
  while (!abort.aborted) {
    const status = await new Promise<number>((resolve) => {
      const req = https.get(url, { ca, agent: false, timeout: 5000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      abort.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  throw abort.reason instanceof Error ? abort.reason : new Error('aborted');
}
