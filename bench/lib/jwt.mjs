// HS256 tokens for the load generators (node:crypto, so signing never costs the bench much).
import { createHmac, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const keys = new Map();

export function signJwt(payload, accessKey) {
  let key = keys.get(accessKey);
  if (!key) keys.set(accessKey, (key = createSecretKey(Buffer.from(accessKey, 'utf8'))));
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export const CLIENT_ROLES = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];

/** A client access token (docs/protocol/auth.md §3): aud = http form of the client URL. */
export function clientToken(accessKey, port, hub, userId, ttlSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ aud: `http://127.0.0.1:${port}/client/hubs/${hub}`, iat: now, exp: now + ttlSeconds, sub: userId, role: CLIENT_ROLES }, accessKey);
}

/** A data-plane REST token (docs/protocol/auth.md §4): aud = the request URL as sent. */
export function restToken(accessKey, url, ttlSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ aud: url, iat: now, exp: now + ttlSeconds }, accessKey);
}

/** The development key from local.settings.sample.json (the emulator's default). */
export function devAccessKey() {
  const file = fileURLToPath(new URL('../../local.settings.sample.json', import.meta.url));
  const cs = JSON.parse(readFileSync(file, 'utf8')).Values.WebPubSubConnectionString;
  return /AccessKey=([^;]+)/i.exec(cs)[1];
}

export function hmacHex(key, message) {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}
