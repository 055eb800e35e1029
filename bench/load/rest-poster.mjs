// Keep-alive REST POSTs for the fan-out load generators. A POST cut at the socket level (a keep-alive race
// on a loaded machine) is sent again, at most 3 times, so the delivery accounting stays exact; any answer
// outside `okStatus` fails the run.
import http from 'node:http';

/**
 * `body(seq)` is the text of message `seq`. Returns { post(seq), stats: { failures, firstFailure, retried },
 * close() }: close() destroys the agent, and requests it cuts are not counted as failures.
 */
export function createPoster({ url, headers, maxSockets, okStatus, body }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const stats = { failures: 0, firstFailure: null, retried: 0 };
  let tornDown = false;
  const post = (seq, attempt = 0) => {
    const text = body(seq);
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(text) } }, (res) => {
      if (!okStatus.includes(res.statusCode)) {
        stats.failures++;
        stats.firstFailure ??= `POST answered ${res.statusCode}`;
      }
      res.resume();
    });
    req.on('error', (e) => {
      // Requests cut by our own close() at the end are not the server's failures.
      if (tornDown) return;
      // Retried while draining too: a POST already counted as posted must still be delivered.
      if (attempt < 3) {
        stats.retried++;
        return post(seq, attempt + 1);
      }
      stats.failures++;
      stats.firstFailure ??= e.message;
    });
    req.end(text);
  };
  const close = () => {
    tornDown = true;
    agent.destroy();
  };
  return { post, stats, close };
}
