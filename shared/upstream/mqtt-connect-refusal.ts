import { WebPubSubError } from '../http/errors';
import type { HttpReply, MqttUserProperty } from './event-types';

/**
 * An MQTT connect refused with a CONNACK code (docs/protocol/cloud-events.md §10): the reply is JSON
 * `{ "mqtt": { "code", "reason"?, "userProperties"? } }` with an HTTP status that matches the code,
 * the way @azure/web-pubsub-express 1.1.0 answers `failWith({ mqtt })`, so the service (and the
 * emulator) give the client that exact code.
 */
export class MqttConnectRefusal extends WebPubSubError {
  readonly mqttCode: number;
  readonly userProperties?: readonly MqttUserProperty[];

  constructor(mqttCode: number, reason?: string, userProperties?: readonly MqttUserProperty[]) {
    super(statusForMqttConnectCode(mqttCode), 'MqttConnectRefused', reason ?? `MQTT connect refused with code ${mqttCode}`);
    this.mqttCode = mqttCode;
    if (userProperties !== undefined) this.userProperties = userProperties;
  }
}

/** 3.1.1 return codes 1–5 and 5.0 reason codes ≥ 0x80 only: anything else is a bug in the hub. */
export function isMqttConnectRefusalCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1 && code <= 5) || (code >= 0x80 && code <= 0xff));
}

export function statusForMqttConnectCode(code: number): number {
  if (code < 0x80) {
    if (code === 1 || code === 2) return 400;
    if (code === 3) return 503;
    if (code === 4 || code === 5) return 401;
    return 500;
  }
  if (code === 0x86 || code === 0x87) return 401;
  if ([0x81, 0x83, 0x84, 0x85, 0x8c, 0x90, 0x95, 0x99, 0x9a, 0x9b].includes(code)) return 400;
  if (code === 0x97 || code === 0x9f) return 429;
  if (code === 0x8a) return 403;
  return 500;
}

export function toMqttConnectRefusalReply(e: MqttConnectRefusal): HttpReply {
  const mqtt = { code: e.mqttCode, reason: e.message, ...(e.userProperties ? { userProperties: e.userProperties } : {}) };
  return { status: e.status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ mqtt }) };
}
