// The MQTT baseline: Aedes (the Node MQTT broker) over WebSocket through `ws`'s createWebSocketStream,
// accepting every client on any path with subprotocol `mqtt` (no authentication), and /api/health.
// Usage: node bench/servers/aedes-ws.mjs --port N
import http from 'node:http';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const broker = await Aedes.createBroker();
const server = http.createServer((req, res) => res.writeHead(req.url === '/api/health' ? 200 : 404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1024 * 1024, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
wss.on('connection', (ws) => broker.handle(createWebSocketStream(ws)));
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
