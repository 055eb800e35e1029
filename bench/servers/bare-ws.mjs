// The baseline: a bare `ws` server doing the minimum the emulator does for the same client traffic.
// - every upgrade on /client/hubs/<hub> is accepted (no token check), the JSON subprotocol is selected,
//   and a `system/connected` frame is sent (so clients run the same code against both servers);
// - client `joinGroup` → Map<group, Set<ws>> (+ ack when asked), `sendToGroup` → one envelope built once,
//   `ws.send` per member;
// - any HTTP POST to /api/hubs/<hub>/:send → the body wrapped once, `ws.send` to every client (202).
// Usage: node bench/servers/bare-ws.mjs --port N
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const PROTOCOL = 'json.webpubsub.azure.v1';
const clients = new Set();
const groups = new Map();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/health') return void res.writeHead(200).end();
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const frame = `{"type":"message","from":"server","dataType":"json","data":${Buffer.concat(chunks).toString('utf8')}}`;
    for (const ws of clients) ws.send(frame);
    res.writeHead(202, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60000;

const wss = new WebSocketServer({
  server,
  maxPayload: 1024 * 1024,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
});

wss.on('connection', (ws, req) => {
  clients.add(ws);
  const userId = new URL(req.url, 'http://x').searchParams.get('userId') ?? '';
  const connectionId = randomUUID();
  const joined = new Set();
  ws.send(JSON.stringify({ type: 'system', event: 'connected', userId, connectionId }));
  ws.on('message', (data) => {
    let m;
    try {
      m = JSON.parse(data.toString());
    } catch {
      return void ws.close(1007);
    }
    if (m.type === 'sendToGroup') {
      const members = groups.get(m.group);
      if (members) {
        const frame = JSON.stringify({ type: 'message', from: 'group', group: m.group, dataType: m.dataType ?? 'json', data: m.data });
        for (const peer of members) if (!(m.noEcho && peer === ws)) peer.send(frame);
      }
    } else if (m.type === 'joinGroup') {
      let members = groups.get(m.group);
      if (!members) groups.set(m.group, (members = new Set()));
      members.add(ws);
      joined.add(m.group);
    } else if (m.type === 'leaveGroup') {
      groups.get(m.group)?.delete(ws);
      joined.delete(m.group);
    }
    if (m.ackId !== undefined) ws.send(`{"type":"ack","ackId":${Number(m.ackId)},"success":true}`);
  });
  ws.on('close', () => {
    clients.delete(ws);
    for (const g of joined) groups.get(g)?.delete(ws);
  });
});

server.listen(port, '127.0.0.1', () => process.stdout.write(`bare-ws listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
