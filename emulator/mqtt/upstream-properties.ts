import type { IConnectPacket, IDisconnectPacket, UserProperties } from 'mqtt-packet';
import type { DispatchResult } from '../upstream/event-dispatcher';
import { connackCodeForStatus, isConnackRefusal, type MqttVersion } from './reason-codes';

/**
 * The MQTT parts of upstream events ("MQTT CloudEvents", as @azure/web-pubsub-express 1.1.0 reads them):
 * the `mqtt` object of the `connect` body, of the `disconnected` body, and the `mqtt` object of a
 * connect reply (user properties on success, a CONNACK code on failure). Pure.
 */

export interface MqttUserProperty {
  readonly name: string;
  readonly value: string;
}

export interface MqttConnectProperties {
  readonly protocolVersion: MqttVersion;
  readonly username?: string;
  /** Base64 of the password bytes (the password is binary data in MQTT). */
  readonly password?: string;
  readonly userProperties?: MqttUserProperty[];
}

export function connectProperties(packet: IConnectPacket, version: MqttVersion): MqttConnectProperties {
  const userProperties = toUserPropertyList(packet.properties?.userProperties);
  return {
    protocolVersion: version,
    ...(packet.username !== undefined ? { username: packet.username } : {}),
    ...(packet.password !== undefined ? { password: Buffer.from(packet.password).toString('base64') } : {}),
    ...(userProperties.length > 0 ? { userProperties } : {}),
  };
}

export interface MqttDisconnectedProperties {
  readonly initiatedByClient: boolean;
  readonly disconnectPacket: { readonly code: number; readonly userProperties?: MqttUserProperty[] };
}

/** The `mqtt` object of `disconnected`: the DISCONNECT the client sent, or the one the service sent or would have sent. */
export function disconnectedProperties(initiatedByClient: boolean, code: number, packet?: IDisconnectPacket): MqttDisconnectedProperties {
  const userProperties = toUserPropertyList(packet?.properties?.userProperties);
  return { initiatedByClient, disconnectPacket: { code, ...(userProperties.length > 0 ? { userProperties } : {}) } };
}

/** mqtt-packet's `{name: value | value[]}` → the ordered name/value list the events use. */
export function toUserPropertyList(props: UserProperties | undefined): MqttUserProperty[] {
  const out: MqttUserProperty[] = [];
  if (!props) return out;
  for (const [name, value] of Object.entries(props)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, value: String(v) });
  }
  return out;
}

/** The reverse, for CONNACK and DISCONNECT properties. */
export function fromUserPropertyList(list: readonly MqttUserProperty[] | undefined): UserProperties | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string | string[]> = Object.create(null);
  for (const { name, value } of list) {
    const held = out[name];
    if (held === undefined) out[name] = value;
    else out[name] = Array.isArray(held) ? [...held, value] : [held, value];
  }
  return out;
}

/** What a failed connect event means to the client: the CONNACK code, a reason and user properties. */
export interface ConnectFailure {
  readonly code: number;
  readonly reason?: string;
  readonly userProperties?: MqttUserProperty[];
}

/**
 * The CONNACK of a failed connect event: the reply's `mqtt.code` when it is a refusal code of the
 * client's version, otherwise the code for the HTTP status (a timeout or an unreachable handler: 500).
 */
export function connectFailure(result: DispatchResult, version: MqttVersion): ConnectFailure {
  if (result.kind !== 'reply') return { code: connackCodeForStatus(500, version), reason: 'the connect event handler failed' };
  const status = result.response.status;
  const mqtt = parseMqttObject(result.response.body);
  const fallbackStatus = status >= 400 && status < 500 ? status : 500;
  const code = isConnackRefusal(mqtt?.code, version) ? (mqtt!.code as number) : connackCodeForStatus(fallbackStatus, version);
  const userProperties = userPropertyList(mqtt?.userProperties);
  return {
    code,
    ...(typeof mqtt?.reason === 'string' ? { reason: mqtt.reason } : {}),
    ...(userProperties ? { userProperties } : {}),
  };
}

/** The user properties a successful connect reply gives the CONNACK (5.0 only). */
export function connectSuccessUserProperties(result: DispatchResult): MqttUserProperty[] | undefined {
  if (result.kind !== 'reply') return undefined;
  return userPropertyList(parseMqttObject(result.response.body)?.userProperties);
}

function parseMqttObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const mqtt = (parsed as Record<string, unknown>).mqtt;
    return typeof mqtt === 'object' && mqtt !== null && !Array.isArray(mqtt) ? (mqtt as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function userPropertyList(v: unknown): MqttUserProperty[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const list = v.filter((p): p is MqttUserProperty => typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.value === 'string');
  return list.length > 0 ? list.map((p) => ({ name: p.name, value: p.value })) : undefined;
}
