// A bare HTTP sink for the Web PubSub data-plane REST API (bench/micro/rest-send.mjs): every POST is read
// to the end, its bearer token checked like the service does (HS256 with the access key, `exp` in the
// future, `aud` = the request URL with or without its query, docs/protocol/auth.md §4), and answered 202.
// A token already checked is remembered, so the sink stays far cheaper than the client it measures.
// GET /api/health → 200; GET /stats → {requests, rejected, connections, tokens} (and resets with ?reset).
// Usage: node bench/servers/rest-sink.mjs --port N --key ACCESS_KEY
import http from 'node:http';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const port = Number(arg('--port'));
const key = createSecretKey(Buffer.from(arg('--key'), 'utf8'));

const stats = { requests: 0, rejected: 0, connections: 0, tokens: 0 };
/** token → exp (seconds) of tokens already verified. */
const verified = new Map();

const audienceOk = (audiences, url) => audiences.has(url) || audiences.has(url.split('?')[0]);

function verify(token, requestUrl) {
  const url = requestUrl.toLowerCase();
  const now = Math.floor(Date.now() / 1000);
  const known = verified.get(token);
  if (known !== undefined) return known.exp > now && audienceOk(known.audiences, url);
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const mac = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const sig = Buffer.from(parts[2], 'base64url');
  if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) return false;
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (header.alg !== 'HS256' || typeof claims.exp !== 'number' || typeof claims.aud !== 'string') return false;
  const aud = claims.aud.toLowerCase();
  const audiences = new Set([aud, aud.split('?')[0]]);
  if (verified.size > 100_000) verified.clear();
  verified.set(token, { exp: claims.exp, audiences });
  stats.tokens++;
  return claims.exp > now && audienceOk(audiences, url);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/api/health') return void res.writeHead(200).end();
    if (req.url.startsWith('/stats')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      if (req.url.includes('reset')) for (const k of Object.keys(stats)) stats[k] = 0;
      return;
    }
    return void res.writeHead(404).end();
  }
  req.resume();
  req.on('end', () => {
    stats.requests++;
    const auth = req.headers.authorization ?? '';
    const url = `http://${req.headers.host}${req.url}`;
    if (!auth.startsWith('Bearer ') || !verify(auth.slice(7), url)) {
      stats.rejected++;
      return void res.writeHead(401, { 'content-length': '0' }).end();
    }
    res.writeHead(202, { 'content-length': '0' }).end();
  });
});
server.on('connection', () => stats.connections++);
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1');
