import type { IConnectPacket } from 'mqtt-packet';
import type { ConnectRefusal, MqttVersion } from './reason-codes';

/**
 * The service's rules for a CONNECT packet ("Connect MQTT WebSocket clients", connection parameters):
 * protocol 3.1.1 or 5.0; client id of 1–128 characters from 0-9 a-z A-Z (an empty id is assigned one
 * when the session is clean, as MQTT allows); keep-alive 1–180 s for 3.1.1; a will topic that is not
 * blank and at most 1024 characters; a will payload of at most 2000 bytes. Pure.
 */

export const MAX_CLIENT_ID_LENGTH = 128;
export const MAX_KEEP_ALIVE_V311_SECONDS = 180;
export const MAX_WILL_TOPIC_LENGTH = 1024;
export const MAX_WILL_PAYLOAD_BYTES = 2000;

const CLIENT_ID = /^[0-9a-zA-Z]{1,128}$/;

export type ConnectCheck =
  | { readonly ok: true; readonly version: MqttVersion; readonly clientId: string; readonly assigned: boolean }
  | { readonly ok: false; readonly version: MqttVersion; readonly refusal: ConnectRefusal; readonly reason: string };

export function checkConnect(packet: IConnectPacket, assignId: () => string): ConnectCheck {
  const version: MqttVersion = packet.protocolVersion === 5 ? 5 : 4;
  if (packet.protocolVersion !== 4 && packet.protocolVersion !== 5) {
    return { ok: false, version: 4, refusal: 'unsupported-protocol-version', reason: 'only MQTT 3.1.1 and 5.0 are supported' };
  }
  let clientId = packet.clientId ?? '';
  let assigned = false;
  if (clientId === '') {
    // MQTT 3.1.1 section 3.1.3.1: an empty id needs a clean session; 5.0 always assigns one.
    if (version === 4 && packet.clean === false)
      return { ok: false, version, refusal: 'client-id-not-valid', reason: 'an empty client id needs a clean session' };
    clientId = assignId();
    assigned = true;
  } else if (!CLIENT_ID.test(clientId)) {
    return { ok: false, version, refusal: 'client-id-not-valid', reason: `the client id must be 1-${MAX_CLIENT_ID_LENGTH} characters from 0-9, a-z, A-Z` };
  }
  const keepalive = packet.keepalive ?? 0;
  if (version === 4 && (keepalive < 1 || keepalive > MAX_KEEP_ALIVE_V311_SECONDS)) {
    return { ok: false, version, refusal: 'unspecified', reason: `MQTT 3.1.1 keep-alive must be 1-${MAX_KEEP_ALIVE_V311_SECONDS} seconds` };
  }
  // MQTT 5.0 section 3.1.2.11.3: a Receive Maximum of 0 is a protocol error (no publish could ever be sent).
  if (version === 5 && packet.properties?.receiveMaximum === 0)
    return { ok: false, version, refusal: 'protocol-error', reason: 'the receive maximum must be at least 1' };
  const will = packet.will;
  if (will) {
    if (will.topic.trim() === '' || will.topic.length > MAX_WILL_TOPIC_LENGTH) {
      return { ok: false, version, refusal: 'topic-name-invalid', reason: `the will topic must not be blank and at most ${MAX_WILL_TOPIC_LENGTH} characters` };
    }
    const size = typeof will.payload === 'string' ? Buffer.byteLength(will.payload) : will.payload.length;
    if (size > MAX_WILL_PAYLOAD_BYTES)
      return { ok: false, version, refusal: 'packet-too-large', reason: `the will message must be at most ${MAX_WILL_PAYLOAD_BYTES} bytes` };
  }
  return { ok: true, version, clientId, assigned };
}

/**
 * How long a session outlives its network connection, in ms ("MQTT support status": sessions are kept
 * up to 30 s). 5.0: the session expiry interval (absent = 0); 3.1.1: a non-clean session is kept.
 */
export const MAX_SESSION_KEEP_MS = 30_000;

export function sessionKeepMs(version: MqttVersion, clean: boolean, sessionExpiryIntervalSeconds: number | undefined): number {
  if (version === 4) return clean ? 0 : MAX_SESSION_KEEP_MS;
  return Math.min((sessionExpiryIntervalSeconds ?? 0) * 1000, MAX_SESSION_KEEP_MS);
}
