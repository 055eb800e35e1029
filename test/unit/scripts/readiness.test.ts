import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { pause, waitForHttp } from '../../../scripts/readiness';

describe('readiness polling', () => {
  it('leaves no abort listener behind, however many attempts it takes (Node warns past 10)', async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls += 1;
      res.writeHead(calls < 15 ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const abort = new AbortController();
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, (s) => s === 200, abort.signal, 1);
      expect(calls).toBe(15);
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    } finally {
      server.close();
    }
  });

  it('pause ends early on abort and removes its listener when the timer fires', async () => {
    const abort = new AbortController();
    await pause(1, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const started = Date.now();
    const waiting = pause(60_000, abort.signal);
    abort.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
