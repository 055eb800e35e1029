// The round trip's floor: the same pipeline as client → emulator → /api/eventhandler → REST send → emulator
// → client, built from bare `node:http` and `ws` with no framework, doing the work no implementation can
// skip: the same sockets, requests and frames (keep-alive agents, one POST upstream and one REST POST per
// event), the same cryptographic checks (a ce-signature computed per request and verified, an HS256 bearer
// token signed and verified per request) and the same JSON parsing and serialising. Nothing is cached that
// the real pipeline would compute. Two processes, as in the real system:
// (--port 0 picks a free port; the first line of output names it.)
//   node bench/servers/floor-round-trip.mjs --role service --port N --key K --upstream http://127.0.0.1:M/
//     the service: WebSocket clients (json.webpubsub.azure.v1: `joinGroup`, `event`), CloudEvents POSTs
//     upstream, REST `POST /api/hubs/<hub>/:send` and `/api/hubs/<hub>/groups/<group>/:send`;
//   node bench/servers/floor-round-trip.mjs --role upstream --port M --key K --service http://127.0.0.1:N
//     the event handler: verifies ce-signature, parses the event, publishes {from, text, group, at} to the
//     group (or to all) through the service's REST API, answers 204.
import http from 'node:http';
import { createHmac, createSecretKey, randomUUID, timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { signJwt as signWithKey } from '../lib/jwt.mjs';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const role = arg('--role');
const port = Number(arg('--port') ?? NaN);
const accessKey = arg('--key');
const hub = arg('--hub') ?? 'chat';
if (!['service', 'upstream'].includes(role) || !Number.isInteger(port) || !accessKey) {
  process.stderr.write('usage: floor-round-trip.mjs --role service|upstream --port N --key K (--upstream URL | --service URL)\n');
  process.exit(2);
}
const key = createSecretKey(Buffer.from(accessKey, 'utf8'));
const PROTOCOL = 'json.webpubsub.azure.v1';
const agent = new http.Agent({ keepAlive: true });
const hmac = (text) => createHmac('sha256', key).update(text);

/** docs/protocol/auth.md §2: an HS256 JWT signed with the access key (the load generators' signer). */
const signJwt = (payload) => signWithKey(payload, accessKey);

/** The payload of a valid, unexpired HS256 token whose `aud` is one of `audiences`, else null. */
function verifyJwt(token, audiences) {
  const dot = token.lastIndexOf('.');
  if (dot < 0) return null;
  const expected = hmac(token.slice(0, dot)).digest();
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload;
  try {
    payload = JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, dot), 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return null;
  return audiences.includes(payload.aud) ? payload : null;
}

function readBody(req, then) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => then(Buffer.concat(chunks).toString('utf8')));
}

function service() {
  const upstream = arg('--upstream');
  const groups = new Map();
  const clients = new Set();
  let ceId = 0;
  const deliver = (members, text) => {
    const frame = `{"type":"message","from":"server","dataType":"json","data":${text}}`;
    for (const ws of members) ws.send(frame);
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/health') return void res.writeHead(200).end();
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const m = req.method === 'POST' && /^\/api\/hubs\/([^/]+)\/(?:groups\/([^/]+)\/)?:send$/.exec(path);
    if (!m || m[1] !== hub) return void res.writeHead(404).end();
    const auth = req.headers.authorization ?? '';
    const base = `http://${req.headers.host}`;
    if (!auth.startsWith('Bearer ') || !verifyJwt(auth.slice(7), [base + req.url, base + path])) return void res.writeHead(401).end();
    readBody(req, (text) => {
      try {
        JSON.parse(text); // a JSON body must be JSON: clients receive it as a JSON value
      } catch {
        return void res.writeHead(400).end();
      }
      deliver(m[2] === undefined ? clients : (groups.get(decodeURIComponent(m[2])) ?? []), text);
      res.writeHead(202, { 'content-length': '0' }).end();
    });
  });
  server.keepAliveTimeout = 60000;
  const wss = new WebSocketServer({
    server,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
    verifyClient: ({ req }) => {
      const url = new URL(req.url, `http://${req.headers.host}`);
      if (url.pathname !== `/client/hubs/${hub}`) return false;
      req.claims = verifyJwt(url.searchParams.get('access_token') ?? '', [`http://${req.headers.host}/client/hubs/${hub}`]);
      return req.claims !== null;
    },
  });
  wss.on('connection', (ws, req) => {
    const userId = String(req.claims.sub ?? '');
    const connectionId = randomUUID();
    const joined = new Set();
    clients.add(ws);
    ws.send(JSON.stringify({ type: 'system', event: 'connected', userId, connectionId }));
    ws.on('message', (data) => {
      let m;
      try {
        m = JSON.parse(data.toString());
      } catch {
        return void ws.close(1007);
      }
      if (m.type === 'event') {
        const body = m.dataType === 'json' ? JSON.stringify(m.data) : String(m.data);
        const req = http.request(upstream, {
          method: 'POST',
          agent,
          headers: {
            'content-type': m.dataType === 'json' ? 'application/json' : 'text/plain',
            'content-length': Buffer.byteLength(body),
            'webhook-request-origin': '127.0.0.1',
            'ce-specversion': '1.0',
            'ce-awpsversion': '1.0',
            'ce-type': `azure.webpubsub.user.${m.event}`,
            'ce-source': `/hubs/${hub}/client/${connectionId}`,
            'ce-id': String(++ceId),
            'ce-time': new Date().toISOString(),
            'ce-hub': hub,
            'ce-connectionid': connectionId,
            'ce-eventname': m.event,
            'ce-userid': userId,
            'ce-subprotocol': PROTOCOL,
            'ce-signature': `sha256=${hmac(connectionId).digest('hex')}`,
          },
        });
        req.on('response', (res) =>
          readBody(res, (reply) => {
            // An upstream reply body goes back to the caller as a server message, as the service does.
            if (res.statusCode === 200 && reply) ws.send(JSON.stringify({ type: 'message', from: 'server', dataType: 'text', data: reply }));
          }),
        );
        req.on('error', (e) => process.stderr.write(`upstream POST failed: ${e.message}\n`));
        req.end(body);
      } else if (m.type === 'joinGroup') {
        let members = groups.get(m.group);
        if (!members) groups.set(m.group, (members = new Set()));
        members.add(ws);
        joined.add(m.group);
      }
      if (m.ackId !== undefined) ws.send(`{"type":"ack","ackId":${Number(m.ackId)},"success":true}`);
    });
    ws.on('close', () => {
      clients.delete(ws);
      for (const g of joined) groups.get(g)?.delete(ws);
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`floor service listening on ${server.address().port}\n`));
}

function upstream() {
  const serviceUrl = arg('--service');
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/health') return void res.writeHead(200).end();
    if (req.method !== 'POST') return void res.writeHead(404).end();
    readBody(req, (text) => {
      const connectionId = String(req.headers['ce-connectionid'] ?? '');
      const expected = Buffer.from(`sha256=${hmac(connectionId).digest('hex')}`);
      const signed = String(req.headers['ce-signature'] ?? '')
        .split(',')
        .some((s) => {
          const given = Buffer.from(s.trim());
          return given.length === expected.length && timingSafeEqual(given, expected);
        });
      if (!signed) return void res.writeHead(401).end();
      if (req.headers['ce-eventname'] !== 'message') return void res.writeHead(204).end();
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        return void res.writeHead(400).end();
      }
      const { text: said, group } = data ?? {};
      const message = JSON.stringify({ from: req.headers['ce-userid'], text: said, ...(group ? { group } : {}), at: new Date().toISOString() });
      const url = `${serviceUrl}/api/hubs/${hub}/${group ? `groups/${encodeURIComponent(group)}/` : ''}:send?api-version=2024-01-01`;
      const now = Math.floor(Date.now() / 1000);
      const send = http.request(url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message),
          authorization: `Bearer ${signJwt({ aud: url, iat: now, exp: now + 3600 })}`,
        },
      });
      send.on('response', (r) => {
        r.resume();
        res.writeHead(r.statusCode === 202 ? 204 : 500).end();
      });
      send.on('error', () => res.writeHead(500).end());
      send.end(message);
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(port, '127.0.0.1', () => process.stdout.write(`floor upstream listening on ${server.address().port}\n`));
}

if (role === 'service') service();
else upstream();
process.on('SIGTERM', () => process.exit(0));
