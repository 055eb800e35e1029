import type http from 'node:http';
import { hubOfClientUrl } from '../client/handshake';
import { pathOf } from '../client/upgrade';
import { logValue, type Log } from '../log';
import { parseRequestTarget, requestTargetProblem } from './request-target';

/**
 * Plain HTTP requests: `/api/…` goes to the REST data plane; a client URL without an upgrade gets 426
 * (it is a WebSocket endpoint); anything else gets 404 with a one-line map of the emulator.
 */
export function createRequestHandler(rest: http.RequestListener, log: Log = () => {}): http.RequestListener {
  return (req, res) => {
    // A client that resets mid-request must not crash the process.
    req.on('error', () => {});
    res.on('error', () => {});
    const problem = requestTargetProblem(req.url, req.headers.host);
    if (problem !== undefined) {
      log(`reject ${logValue(req.method ?? '')} 400: ${problem}`);
      const body = `${problem}\n`;
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return;
    }
    if (pathOf(req).startsWith('/api/')) return rest(req, res);
    const target = parseRequestTarget(req.url ?? '/');
    const isClient = target !== undefined && hubOfClientUrl(target) !== null;
    const status = isClient ? 426 : 404;
    const body = isClient
      ? 'This is a WebSocket endpoint: connect with a WebSocket client.\n'
      : 'Local Web PubSub emulator. Clients: ws://<host>/client/hubs/<hub>?access_token=<jwt>. REST: /api/hubs/<hub>/...\n';
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}
