import type http from 'node:http';
import { hubOfClientUrl } from '../client/handshake';
import { pathOf } from '../client/upgrade';

/**
 * Plain HTTP requests: `/api/…` goes to the REST data plane; a client URL without an upgrade gets 426
 * (it is a WebSocket endpoint); anything else gets 404 with a one-line map of the emulator.
 */
export function createRequestHandler(rest: http.RequestListener): http.RequestListener {
  return (req, res) => {
    // A client that resets mid-request must not crash the process.
    req.on('error', () => {});
    res.on('error', () => {});
    if (pathOf(req).startsWith('/api/')) return rest(req, res);
    const isClient = hubOfClientUrl(new URL(req.url ?? '/', 'http://x')) !== null;
    const status = isClient ? 426 : 404;
    const body = isClient
      ? 'This is a WebSocket endpoint: connect with a WebSocket client.\n'
      : 'Local Web PubSub emulator. Clients: ws://<host>/client/hubs/<hub>?access_token=<jwt>. REST: /api/hubs/<hub>/...\n';
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}
