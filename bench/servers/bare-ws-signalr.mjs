// The SignalR fan-out baseline: a bare `ws` server doing the minimum the SignalR emulator does for the
// same traffic, with none of its checks:
// - every upgrade is accepted (no negotiate, no token); the client's handshake record is answered `{}`;
// - any HTTP POST (the REST `:send` of a client) → `{ target, arguments }` wrapped once as a JSON hub
//   protocol invocation record, `ws.send` to every client that completed its handshake (202).
// Usage: node bench/servers/bare-ws-signalr.mjs --port N
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const RS = '\x1e';
const clients = new Set();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/health') return void res.writeHead(200).end();
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { target, arguments: args } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const frame = Buffer.from(`${JSON.stringify({ type: 1, target, arguments: args })}${RS}`);
    for (const ws of clients) ws.send(frame, { binary: false });
    res.writeHead(202, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60000;

const wss = new WebSocketServer({ server, maxPayload: 1024 * 1024, perMessageDeflate: false });
wss.on('connection', (ws) => {
  let open = false;
  ws.on('message', (data) => {
    if (open) return;
    open = true;
    clients.add(ws);
    ws.send(`{}${RS}`);
    void data;
  });
  ws.on('close', () => clients.delete(ws));
});

server.listen(port, '127.0.0.1', () => process.stdout.write(`bare-ws-signalr listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
