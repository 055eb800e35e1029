import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_FILES, loadOrCreateLocalCa } from '../../../../emulator/tls/local-ca';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-ca-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;

test('creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it; keys are owner-only', async () => {
  const ca = await loadOrCreateLocalCa(dir);
  expect(ca.created).toHaveLength(6);
  const caCert = new X509Certificate(ca.caPem);
  const server = new X509Certificate(ca.serverCertPem);
  expect(caCert.ca).toBe(true);
  expect(server.ca).toBe(false);
  expect(server.verify(caCert.publicKey)).toBe(true);
  expect(server.checkIssued(caCert)).toBe(true);
  expect(server.checkHost('localhost')).toBe('localhost');
  expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  expect(server.checkIP('::1')).toBe('::1');
  expect(server.checkHost('example.com')).toBeUndefined();
  expect(new X509Certificate(ca.signingCertPem).verify(caCert.publicKey)).toBe(true);
  if (process.platform !== 'win32') {
    for (const f of [CA_FILES.caKey, CA_FILES.serverKey, CA_FILES.signingKey]) expect(statSync(join(dir, f)).mode & 0o077).toBe(0);
  }
  expect(ca.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

test('reuses everything on the next run', async () => {
  const first = await loadOrCreateLocalCa(dir);
  const second = await loadOrCreateLocalCa(dir);
  expect(second.created).toEqual([]);
  expect(second.caPem).toBe(first.caPem);
  expect(second.serverCertPem).toBe(first.serverCertPem);
  expect(second.signingKeyPem).toBe(first.signingKeyPem);
});

test('reissues a server certificate close to expiry under the same CA', async () => {
  const first = await loadOrCreateLocalCa(dir);
  const later = await loadOrCreateLocalCa(dir, new Date(Date.now() + 380 * DAY));
  expect(later.caPem).toBe(first.caPem);
  expect(later.serverCertPem).not.toBe(first.serverCertPem);
  expect(new X509Certificate(later.serverCertPem).verify(new X509Certificate(first.caPem).publicKey)).toBe(true);
});

test('a damaged or foreign server certificate is replaced', async () => {
  const first = await loadOrCreateLocalCa(dir);
  writeFileSync(join(dir, CA_FILES.serverCert), 'not a certificate');
  const second = await loadOrCreateLocalCa(dir);
  expect(second.created).toContain(join(dir, CA_FILES.serverCert));
  expect(second.caPem).toBe(first.caPem);
  expect(readFileSync(join(dir, CA_FILES.serverCert), 'utf8')).toContain('BEGIN CERTIFICATE');
});

test('an expiring CA is replaced, and the certificates it signed with it', async () => {
  const first = await loadOrCreateLocalCa(dir);
  const later = await loadOrCreateLocalCa(dir, new Date(Date.now() + 3640 * DAY));
  expect(later.caPem).not.toBe(first.caPem);
  expect(new X509Certificate(later.serverCertPem).verify(new X509Certificate(later.caPem).publicKey)).toBe(true);
  expect(new X509Certificate(later.signingCertPem).verify(new X509Certificate(later.caPem).publicKey)).toBe(true);
});

test('a TLS client trusting the CA connects; one that does not is refused', async () => {
  const ca = await loadOrCreateLocalCa(dir);
  const server = https.createServer({ cert: ca.serverCertPem, key: ca.serverKeyPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const get = (host: string, trust: boolean) =>
    new Promise<string>((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', servername: host === '127.0.0.1' ? undefined : host, port, path: '/', ...(trust ? { ca: ca.caPem } : {}), agent: false },
          (res) => {
            res.setEncoding('utf8');
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve(body));
          },
        )
        .on('error', reject);
    });
  try {
    await expect(get('localhost', true)).resolves.toBe('ok');
    await expect(get('127.0.0.1', true)).resolves.toBe('ok');
    await expect(get('localhost', false)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  } finally {
    server.close();
  }
});
