import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * HMAC-SHA256 under an access key. The service uses the key string's UTF-8 bytes as the HMAC key
 * (docs/protocol/auth.md §1.1), for client and REST tokens and for the upstream `ce-signature`.
 *
 * Every handshake, REST call and upstream event uses one of a few keys, so each key becomes a
 * KeyObject once. The cache is bounded: a caller passing ever-new keys only makes it start over.
 */
const MAX_KEYS = 16;
const keyObjects = new Map<string, KeyObject>();

export function accessKeyHmac(accessKey: string, message: string): Buffer {
  return createHmac('sha256', keyObjectOf(accessKey)).update(message, 'utf8').digest();
}

function keyObjectOf(accessKey: string): KeyObject {
  let key = keyObjects.get(accessKey);
  if (key === undefined) {
    if (keyObjects.size >= MAX_KEYS) keyObjects.clear();
    key = createSecretKey(Buffer.from(accessKey, 'utf8'));
    keyObjects.set(accessKey, key);
  }
  return key;
}
