#!/usr/bin/env node
// Soak: N connections (default 10,000) held for a while (default 5 minutes) with traffic, against the
// emulator in its own process. Samples the emulator's memory, open file descriptors and active handles
// before, during and after, and checks that they return once the connections close.
//   npm run build && node bench/soak/hold.mjs [--connections 10000] [--minutes 5] [--groups 100] [--sends-per-second 100]
// Loopback only; every loop is bounded. Writes bench/soak/results/hold-latest.json and prints a summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { clientToken, devAccessKey, restToken } from '../lib/jwt.mjs';
import { root, sleep, startEmulatorChild } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const CONNECTIONS = opt('--connections', 10_000);
const MINUTES = opt('--minutes', 5);
const GROUPS = opt('--groups', 100);
const SENDS_PER_SECOND = opt('--sends-per-second', 100);
const HUB = 'soak';
const key = devAccessKey();
const log = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

const emu = await startEmulatorChild(key);
const samples = [];
const sample = async (phase, gc = false) => {
  const s = await emu.stats(gc);
  const row = { phase, t: Math.round((Date.now() - t0) / 1000), open: sockets.filter((w) => w.readyState === WebSocket.OPEN).length, ...s };
  samples.push(row);
  log(`${phase.padEnd(10)} open=${row.open} rss=${s.rssMb}MB heap=${s.heapUsedMb}MB fds=${s.fds} handles=${JSON.stringify(s.handles)}`);
  return row;
};
const t0 = Date.now();
/** @type {WebSocket[]} */
const sockets = [];
let received = 0;
let acks = 0;
let failedAcks = 0;
let unexpectedCloses = 0;

const baseline = await sample('baseline', true);

// Connect in batches of 500, each client in one of GROUPS groups (from its token).
log(`connecting ${CONNECTIONS} clients…`);
for (let i = 0; i < CONNECTIONS; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, CONNECTIONS - i) }, (_, k) => {
      const n = i + k;
      const now = Math.floor(Date.now() / 1000);
      const token = clientToken(key, emu.port, HUB, `u${n}`);
      const url = `ws://127.0.0.1:${emu.port}/client/hubs/${HUB}?access_token=${token}`;
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, 'json.webpubsub.azure.v1', { perMessageDeflate: false });
        ws.n = n;
        ws.on('open', () => {
          ws.send(JSON.stringify({ type: 'joinGroup', group: `g${n % GROUPS}`, ackId: 1 }));
          resolve();
        });
        ws.on('message', (d) => {
          const s = d.toString();
          if (s.startsWith('{"type":"ack"')) {
            if (s.includes('"success":true')) acks++;
            else failedAcks++;
          } else if (s.startsWith('{"type":"message"')) received++;
        });
        ws.on('close', () => {
          if (!ws.closing) unexpectedCloses++;
        });
        ws.on('error', reject);
        sockets.push(ws);
        void now;
      });
    }),
  );
}
const connected = await sample('connected');

// Hold with traffic: each second, SENDS_PER_SECOND random clients send to their group (fan-out
// CONNECTIONS/GROUPS each), every client pings every 20 s as the SDK does, and one REST broadcast.
log(`holding for ${MINUTES} min with ${SENDS_PER_SECOND} group sends/s (fan-out ${Math.round(CONNECTIONS / GROUPS)}) + pings + 1 REST send/s`);
const holdUntil = Date.now() + MINUTES * 60_000;
let sent = 0;
let restSent = 0;
let tick = 0;
while (Date.now() < holdUntil) {
  tick++;
  for (let k = 0; k < SENDS_PER_SECOND; k++) {
    const ws = sockets[Math.floor(Math.random() * sockets.length)];
    if (ws.readyState !== WebSocket.OPEN) continue;
    ws.send(
      JSON.stringify({
        type: 'sendToGroup',
        group: `g${ws.n % GROUPS}`,
        dataType: 'json',
        data: { t: Date.now(), k },
        noEcho: true,
        ackId: 1000 + tick * 1000 + k,
      }),
    );
    sent++;
  }
  for (let k = tick % 20; k < sockets.length; k += 20) if (sockets[k].readyState === WebSocket.OPEN) sockets[k].send('{"type":"ping"}');
  const url = `http://127.0.0.1:${emu.port}/api/hubs/${HUB}/groups/g${tick % GROUPS}/:send?api-version=2024-12-01`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${restToken(key, url)}`, 'content-type': 'text/plain' },
    body: `tick ${tick}`,
  });
  if (res.status === 202) restSent++;
  if (tick % 30 === 0) await sample('holding');
  await sleep(1000);
}
const held = await sample('held');

// Close everything and let the emulator settle.
log('closing all clients…');
for (const ws of sockets) {
  ws.closing = true;
  ws.close();
}
await Promise.all(sockets.map((ws) => (ws.readyState === WebSocket.CLOSED ? null : new Promise((r) => ws.once('close', r)))));
sockets.length = 0;
let after;
for (let i = 0; i < 10; i++) {
  await sleep(1000);
  after = await sample('after', true);
  if (after.fds <= baseline.fds + 5 && after.heapUsedMb <= baseline.heapUsedMb * 1.5 + 10) break;
}
const closed = await emu.close();

const result = {
  date: new Date().toISOString(),
  connections: CONNECTIONS,
  minutes: MINUTES,
  groups: GROUPS,
  clientGroupSends: sent,
  restSends: restSent,
  messagesReceived: received,
  acks,
  failedAcks,
  unexpectedCloses,
  baseline,
  connected,
  held,
  after,
  closedEmulator: closed,
  peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
  peakHeapMb: Math.max(...samples.map((s) => s.heapUsedMb)),
  samples,
};
const dir = join(root, 'bench', 'soak', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'hold-latest.json'), JSON.stringify(result, null, 2));
const ok =
  unexpectedCloses === 0 &&
  failedAcks === 0 &&
  after.fds <= baseline.fds + 5 &&
  after.heapUsedMb <= baseline.heapUsedMb * 1.5 + 10 &&
  Object.values(after.handles).reduce((a, b) => a + b, 0) <= Object.values(baseline.handles).reduce((a, b) => a + b, 0) + 2;
log(
  `${ok ? 'PASS' : 'FAIL'}: ${CONNECTIONS} connections held ${MINUTES} min; group sends ${sent}, REST sends ${restSent}, messages received ${received}, acks ${acks} (failed ${failedAcks}), unexpected closes ${unexpectedCloses}`,
);
log(
  `emulator: baseline rss ${baseline.rssMb} MB heap ${baseline.heapUsedMb} MB fds ${baseline.fds}; held rss ${held.rssMb} MB heap ${held.heapUsedMb} MB fds ${held.fds}; after rss ${after.rssMb} MB heap ${after.heapUsedMb} MB fds ${after.fds}`,
);
process.exit(ok ? 0 : 1);
