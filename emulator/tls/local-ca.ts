import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A certificate authority made on this machine and the certificates it issues: the TLS server
 * certificate of the emulator (`localhost`, `127.0.0.1`, `::1`) and the certificate of the local
 * Microsoft Entra authority's signing key (its JWKS publishes `x5c`/`x5t` as Entra's does).
 *
 * Everything is kept in one folder (`.local-ca/` by default, git-ignored) and reused across runs, so a
 * browser or an OS trust store that was told to trust the CA once keeps trusting it. A certificate is
 * reissued when it is missing, expires within 30 days or no longer names the wanted hosts; the CA is
 * made anew only when it is missing or expiring, and then everything it signed is reissued too.
 *
 * X.509 with @peculiar/x509 on Node's WebCrypto: the library builds the DER, the platform does the
 * cryptography (no hand-written ASN.1, no JavaScript RSA).
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
/** Browsers refuse leaf certificates valid for more than 398 days. */
const LEAF_DAYS = 397;
const RENEW_BEFORE_MS = 30 * DAY_MS;

export const SERVER_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export const CA_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
  signingCert: 'entra-signing.pem',
  signingKey: 'entra-signing-key.pem',
} as const;

export interface LocalCa {
  readonly dir: string;
  /** The CA certificate file: what NODE_EXTRA_CA_CERTS and a browser trust. */
  readonly caPath: string;
  readonly caPem: string;
  /** TLS server certificate and key (PEM). */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** The Entra authority's signing certificate and its PKCS#8 key (PEM). */
  readonly signingCertPem: string;
  readonly signingKeyPem: string;
  /** SHA-256 fingerprint of the CA certificate, `AB:CD:…`, for the banner. */
  readonly caFingerprint: string;
  /** The files written in this call (empty when everything was reused). */
  readonly created: readonly string[];
}

/** Loads the CA folder, creating or renewing whatever is missing or about to expire. */
export async function loadOrCreateLocalCa(dir: string, now = new Date()): Promise<LocalCa> {
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  const path = (name: string) => join(dir, name);

  let ca = readPair(path(CA_FILES.caCert), path(CA_FILES.caKey));
  const caUsable = ca !== undefined && isFresh(ca.cert, now) && ca.cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
  let caKeys: CryptoKeyPair;
  if (!ca || !caUsable) {
    caKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: `CN=Web PubSub local development CA (${new Date(now).toISOString().slice(0, 10)}), O=webpubsub-serverless`,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
      keys: caKeys,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    await writePair(path(CA_FILES.caCert), path(CA_FILES.caKey), cert, caKeys.privateKey, created);
    ca = { cert, keyPem: readFileSync(path(CA_FILES.caKey), 'utf8') };
  } else {
    caKeys = { privateKey: await importPrivateKey(ca.keyPem), publicKey: await ca.cert.publicKey.export(RSA, ['verify']) };
  }
  const caCert = ca.cert;
  const caRenewed = created.length > 0;

  const issue = async (certFile: string, keyFile: string, subject: string, extensions: x509.Extension[], wanted: (c: x509.X509Certificate) => boolean) => {
    const existing = readPair(path(certFile), path(keyFile));
    if (!caRenewed && existing && isFresh(existing.cert, now) && existing.cert.issuer === caCert.subject && wanted(existing.cert)) return;
    const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject,
      issuer: caCert.subject,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + LEAF_DAYS * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ...extensions,
      ],
    });
    await writePair(path(certFile), path(keyFile), cert, keys.privateKey, created);
  };

  await issue(
    CA_FILES.serverCert,
    CA_FILES.serverKey,
    'CN=localhost',
    [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(
        SERVER_HOSTS.map((h) => ({ type: h.includes('.') || h.includes(':') ? ('ip' as const) : ('dns' as const), value: h })),
      ),
    ],
    (c) => sameHosts(c),
  );
  await issue(
    CA_FILES.signingCert,
    CA_FILES.signingKey,
    'CN=Local Microsoft Entra authority token signing',
    [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    () => true,
  );

  const caPem = readFileSync(path(CA_FILES.caCert), 'utf8');
  return {
    dir,
    caPath: path(CA_FILES.caCert),
    caPem,
    serverCertPem: readFileSync(path(CA_FILES.serverCert), 'utf8'),
    serverKeyPem: readFileSync(path(CA_FILES.serverKey), 'utf8'),
    signingCertPem: readFileSync(path(CA_FILES.signingCert), 'utf8'),
    signingKeyPem: readFileSync(path(CA_FILES.signingKey), 'utf8'),
    caFingerprint: fingerprint(caCert),
    created,
  };
}

/** The host names and addresses a certificate's subjectAltName covers. */
export function subjectAltNames(cert: x509.X509Certificate): string[] {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.map((n) => n.value) : [];
}

function sameHosts(cert: x509.X509Certificate): boolean {
  const names = subjectAltNames(cert).map(normalizeHost);
  return SERVER_HOSTS.every((h) => names.includes(normalizeHost(h)));
}

/** IPv6 addresses compare in canonical form (`::1` may come back expanded as `0:0:…:1`). */
function normalizeHost(h: string): string {
  return h.includes(':') ? new URL(`http://[${h}]/`).hostname : h.toLowerCase();
}

function isFresh(cert: x509.X509Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && cert.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS;
}

function readPair(certPath: string, keyPath: string): { cert: x509.X509Certificate; keyPem: string } | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    return { cert: new x509.X509Certificate(readFileSync(certPath, 'utf8')), keyPem: readFileSync(keyPath, 'utf8') };
  } catch {
    // A damaged file is replaced rather than trusted.
    return undefined;
  }
}

async function writePair(certPath: string, keyPath: string, cert: x509.X509Certificate, key: CryptoKey, created: string[]): Promise<void> {
  // The key first, owner-only: a certificate without its key is treated as missing on the next run.
  writeFileSync(keyPath, await exportPkcs8(key), { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, cert.toString('pem') + '\n');
  created.push(certPath, keyPath);
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, RSA, true, ['sign']);
}

function randomSerial(): string {
  // A positive 16-byte serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function fingerprint(cert: x509.X509Certificate): string {
  return createHash('sha256')
    .update(Buffer.from(cert.rawData))
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}
