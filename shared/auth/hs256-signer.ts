import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * HS256 JWT signing with node:crypto, synchronously (RFC 7515 compact form; header
 * `{"alg":"HS256","typ":"JWT"}`, no `kid`, as the service's SDKs sign). jose's SignJWT signs through async
 * WebCrypto: about 125 µs per token on the development machine against about 6 µs here, and negotiate signs
 * one token per request. jose still verifies every token the app receives (jwt-verifier.ts).
 *
 * The claims are serialised in the caller's key order.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export type Hs256Signer = (claims: Readonly<Record<string, unknown>>) => string;

/** A signer for one key (the access key string's UTF-8 bytes, docs/protocol/auth.md §1.1), its KeyObject made once. */
export function createHs256Signer(accessKey: string | KeyObject): Hs256Signer {
  const key = typeof accessKey === 'string' ? createSecretKey(Buffer.from(accessKey, 'utf8')) : accessKey;
  return (claims) => {
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
    return `${body}.${createHmac('sha256', key).update(body, 'utf8').digest('base64url')}`;
  };
}
