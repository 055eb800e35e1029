import { generateKeyPairSync } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { LocalAuthority, type SigningMaterial } from '../../emulator/entra/authority';
import { parseEntraSettings, type EntraSettings } from '../../emulator/entra/entra-settings';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const APP = { name: 'app', clientId: '22222222-2222-4222-8222-222222222222', principalId: '33333333-3333-4333-8333-333333333333' };
export const OTHER = { name: 'other', clientId: '44444444-4444-4444-8444-444444444444', principalId: '55555555-5555-4555-8555-555555555555' };
export const SERVICE = { name: 'wps', clientId: '66666666-6666-4666-8666-666666666666', principalId: '77777777-7777-4777-8777-777777777777' };
export const APP_REG = '88888888-8888-4888-8888-888888888888';
export const BASE = 'https://localhost:8443';

/** A signing key with a self-signed certificate (the authority only needs the certificate's bytes). */
export async function signingMaterial(): Promise<SigningMaterial> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=test signing',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certPem: cert.toString('pem'), keyPem: `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n` };
}

export function settings(over: Record<string, unknown> = {}): EntraSettings {
  return parseEntraSettings({
    tenantId: TENANT,
    identityHeader: 'identity-header-0123456789',
    managedIdentities: [APP, OTHER],
    serviceIdentity: SERVICE,
    applications: [
      { appId: APP_REG, identifierUris: [`api://${APP_REG}`], accessTokenVersion: 2 },
      { appId: '99999999-9999-4999-8999-999999999999', identifierUris: ['api://v1-api'] },
    ],
    roleAssignments: [
      { principalId: APP.principalId, roleDefinitionName: 'Web PubSub Service Owner' },
      { principalId: OTHER.principalId, roleDefinitionName: 'Web PubSub Service Reader' },
    ],
    ...over,
  });
}

export async function authority(over: Record<string, unknown> = {}, clock?: () => number): Promise<LocalAuthority> {
  return new LocalAuthority(settings(over), await signingMaterial(), () => BASE, clock);
}

export function foreignKey() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
