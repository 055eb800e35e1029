import { runBenchModule } from '../../../support/bench-module';

// bench/load/rest-poster.mjs: keep-alive POSTs for the fan-out load generators, against a local
// node:http server in the child process (port 0).

interface Outcome {
  bodies: string[];
  stats: { failures: number; firstFailure: string | null; retried: number };
}

/** Posts seq 0..count-1 to a server whose handler is `handler` (req, res, body, seen), then waits for `count` bodies or 2 s. */
function postAll(count: number, handler: string, okStatus = '[202]'): Outcome {
  return runBenchModule<Outcome>(
    'load/rest-poster.mjs',
    `
    const http = await import('node:http');
    const bodies = [];
    const seen = new Map();
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.set(body, (seen.get(body) ?? 0) + 1);
        const handle = ${handler};
        if (handle(req, res, body, seen.get(body)) !== 'cut') bodies.push(body);
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const poster = m.createPoster({
      url: 'http://127.0.0.1:' + server.address().port + '/api/hubs/chat/:send',
      headers: { 'content-type': 'application/json' },
      maxSockets: 2,
      okStatus: ${okStatus},
      body: (seq) => JSON.stringify({ seq }),
    });
    for (let seq = 0; seq < ${count}; seq++) poster.post(seq);
    const deadline = Date.now() + 2000;
    while (bodies.length < ${count} && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    poster.close();
    server.close();
    return { bodies: bodies.sort(), stats: poster.stats };`,
  );
}

describe('fan-out REST poster', () => {
  it('posts every message body once and counts no failure when each answer is accepted', () => {
    const r = postAll(5, `(req, res) => { res.statusCode = 202; res.end(); }`);
    expect(r.bodies).toEqual([0, 1, 2, 3, 4].map((seq) => `{"seq":${seq}}`));
    expect(r.stats).toEqual({ failures: 0, firstFailure: null, retried: 0 });
  });

  it('counts an answer outside okStatus as a failure, naming the first status', () => {
    const r = postAll(3, `(req, res, body) => { res.statusCode = body === '{"seq":1}' ? 500 : 202; res.end(); }`);
    expect(r.stats.failures).toBe(1);
    expect(r.stats.firstFailure).toBe('POST answered 500');
  });

  it('sends a POST cut at the socket level again, so the message still arrives', () => {
    const r = postAll(
      3,
      `(req, res, body, times) => { if (body === '{"seq":1}' && times === 1) { req.socket.destroy(); return 'cut'; } res.statusCode = 202; res.end(); }`,
    );
    expect(r.bodies).toEqual(['{"seq":0}', '{"seq":1}', '{"seq":2}']);
    expect(r.stats).toEqual({ failures: 0, firstFailure: null, retried: 1 });
  });
});
