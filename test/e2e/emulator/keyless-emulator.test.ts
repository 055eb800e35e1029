/**
 * The emulator as a keyless Web PubSub resource, over real sockets: HTTPS/WSS with the local CA,
 * the local Entra authority's documents and managed-identity endpoint, and upstream requests with
 * ManagedIdentity auth (a bearer token of the service identity, no ce-signature with local auth off).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import WebSocket from 'ws';
import { parseEntraSettings } from '../../../emulator/entra/entra-settings';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { loadOrCreateLocalCa, type LocalCa } from '../../../emulator/tls/local-ca';
import { httpsRequest } from '../../support/keyless-stack';

const APP_REG = 'a9900000-0000-4000-8000-00000000c001';
const SERVICE = { clientId: '1d0c1e55-0000-4000-8000-00000000b001', principalId: '0b1ec7e5-0000-4000-8000-00000000b001' };
const APP = { clientId: '1d0c1e55-0000-4000-8000-00000000a001', principalId: '0b1ec7e5-0000-4000-8000-00000000a001' };
const HEADER = 'local-identity-header-0123456789';

let dir: string;
let ca: LocalCa;
let upstream: http.Server;
let upstreamUrl: string;
const received: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyless-emulator-'));
  ca = await loadOrCreateLocalCa(dir);
  upstream = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, { 'WebHook-Allowed-Origin': '*' }).end();
      return;
    }
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/eventhandler`;
});

afterAll(async () => {
  await new Promise((r) => upstream.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function start(disableLocalAuth: boolean): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    tls: { cert: ca.serverCertPem, key: ca.serverKeyPem },
    disableLocalAuth,
    entra: {
      settings: parseEntraSettings({
        identityHeader: HEADER,
        managedIdentities: [APP],
        serviceIdentity: SERVICE,
        applications: [{ appId: APP_REG, accessTokenVersion: 2 }],
      }),
      signing: { keyPem: ca.signingKeyPem, certPem: ca.signingCertPem },
    },
    hubs: {
      chat: {
        anonymousConnectPolicy: 'allow',
        eventHandlers: [{ urlTemplate: upstreamUrl, systemEvents: ['connected'], auth: { type: 'ManagedIdentity', managedIdentity: { resource: APP_REG } } }],
      },
    },
    upstreamRetryDelaysMs: [],
  });
}

async function connectAnonymously(emulator: RunningEmulator): Promise<void> {
  const ws = new WebSocket(`wss://localhost:${emulator.port}/client/hubs/chat`, 'json.webpubsub.azure.v1', { ca: ca.caPem });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.close();
}

async function nextUpstream(): Promise<http.IncomingHttpHeaders> {
  const before = received.length;
  for (let i = 0; i < 100 && received.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  if (received.length === before) throw new Error('no upstream request');
  return received[received.length - 1]!;
}

test('HTTPS only, with the local CA: the endpoint and connection string say https; plain http gets nothing', async () => {
  const emulator = await start(true);
  try {
    expect(emulator.endpoint).toBe(`https://localhost:${emulator.port}`);
    expect(emulator.connectionString).toBe(`Endpoint=https://localhost;Port=${emulator.port};Version=1.0;`);
    expect((await httpsRequest(`${emulator.endpoint}/api/health`, { ca: ca.caPem })).status).toBe(200);
    const plain = await fetch(`http://localhost:${emulator.port}/api/health`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
  } finally {
    await emulator.close();
  }
});

test("discovery documents: the v2 OpenID configuration points at JWKS that verify the endpoint's tokens", async () => {
  const emulator = await start(true);
  try {
    const tid = emulator.authority!.settings.tenantId;
    const config = JSON.parse((await httpsRequest(`${emulator.endpoint}/${tid}/v2.0/.well-known/openid-configuration`, { ca: ca.caPem })).body) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(config.issuer).toBe(`${emulator.endpoint}/${tid}/v2.0`);
    const jwks = JSON.parse((await httpsRequest(config.jwks_uri, { ca: ca.caPem })).body) as { keys: JWK[] };
    const q = new URLSearchParams({ 'api-version': '2019-08-01', resource: APP_REG, client_id: APP.clientId });
    const res = await httpsRequest(`${emulator.endpoint}/msi/token?${q}`, { headers: { 'X-IDENTITY-HEADER': HEADER }, ca: ca.caPem });
    const token = (JSON.parse(res.body) as { access_token: string }).access_token;
    const { payload } = await jwtVerify(token, await importJWK(jwks.keys[0]!, 'RS256'), { issuer: config.issuer, audience: APP_REG });
    expect(payload).toMatchObject({ oid: APP.principalId, azp: APP.clientId, tid, ver: '2.0' });
  } finally {
    await emulator.close();
  }
});

test('ManagedIdentity upstream auth with local auth disabled: a bearer token of the service identity for the resource, no ce-signature', async () => {
  const emulator = await start(true);
  try {
    await connectAnonymously(emulator);
    const headers = await nextUpstream();
    expect(headers['ce-signature']).toBeUndefined();
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    expect(token).toBeDefined();
    const a = emulator.authority!;
    expect(decodeJwt(token!)).toMatchObject({
      aud: APP_REG,
      iss: a.issuerV2,
      oid: SERVICE.principalId,
      sub: SERVICE.principalId,
      azp: SERVICE.clientId,
      tid: a.settings.tenantId,
      ver: '2.0',
      idtyp: 'app',
    });
  } finally {
    await emulator.close();
  }
});

test('with local auth on, the upstream request carries both ce-signature and the bearer token', async () => {
  const emulator = await start(false);
  try {
    await connectAnonymously(emulator);
    const headers = await nextUpstream();
    expect(headers['ce-signature']).toMatch(/^sha256=/);
    expect(headers.authorization).toMatch(/^Bearer /);
  } finally {
    await emulator.close();
  }
});
