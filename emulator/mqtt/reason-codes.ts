/**
 * MQTT reason codes the emulator sends (MQTT 5.0 section 2.4) and the MQTT 3.1.1 CONNACK return codes
 * (MQTT 3.1.1 section 3.2.2.3), with the one mapping between them. 3.1.1 has no codes in SUBACK beyond
 * 0x80, none in PUBACK, and no server DISCONNECT: a failure there is the closest 3.1.1 signal.
 */

export type MqttVersion = 4 | 5;

export const V5 = {
  Success: 0x00,
  GrantedQos1: 0x01,
  NoSubscriptionExisted: 0x11,
  DisconnectWithWill: 0x04,
  UnspecifiedError: 0x80,
  MalformedPacket: 0x81,
  ProtocolError: 0x82,
  ImplementationSpecificError: 0x83,
  UnsupportedProtocolVersion: 0x84,
  ClientIdentifierNotValid: 0x85,
  BadUserNameOrPassword: 0x86,
  NotAuthorized: 0x87,
  ServerUnavailable: 0x88,
  ServerShuttingDown: 0x8b,
  KeepAliveTimeout: 0x8d,
  SessionTakenOver: 0x8e,
  TopicFilterInvalid: 0x8f,
  TopicNameInvalid: 0x90,
  TopicAliasInvalid: 0x94,
  PacketTooLarge: 0x95,
  AdministrativeAction: 0x98,
  PayloadFormatInvalid: 0x99,
  SharedSubscriptionsNotSupported: 0x9e,
  WildcardSubscriptionsNotSupported: 0xa2,
} as const;

/** MQTT 3.1.1 CONNACK return codes. */
export const V311 = {
  Accepted: 0,
  UnacceptableProtocolVersion: 1,
  IdentifierRejected: 2,
  ServerUnavailable: 3,
  BadUsernameOrPassword: 4,
  NotAuthorized: 5,
} as const;

/** A CONNACK refusal, named by its 5.0 reason code; `connackCode` gives the code for the client's version. */
export type ConnectRefusal =
  | 'unsupported-protocol-version'
  | 'client-id-not-valid'
  | 'bad-username-or-password'
  | 'not-authorized'
  | 'server-unavailable'
  | 'unspecified'
  | 'malformed'
  | 'protocol-error'
  | 'topic-name-invalid'
  | 'packet-too-large';

const REFUSAL_CODES: Record<ConnectRefusal, { v5: number; v311: number }> = {
  'unsupported-protocol-version': { v5: V5.UnsupportedProtocolVersion, v311: V311.UnacceptableProtocolVersion },
  'client-id-not-valid': { v5: V5.ClientIdentifierNotValid, v311: V311.IdentifierRejected },
  'bad-username-or-password': { v5: V5.BadUserNameOrPassword, v311: V311.BadUsernameOrPassword },
  'not-authorized': { v5: V5.NotAuthorized, v311: V311.NotAuthorized },
  'server-unavailable': { v5: V5.ServerUnavailable, v311: V311.ServerUnavailable },
  unspecified: { v5: V5.UnspecifiedError, v311: V311.ServerUnavailable },
  malformed: { v5: V5.MalformedPacket, v311: V311.ServerUnavailable },
  'protocol-error': { v5: V5.ProtocolError, v311: V311.ServerUnavailable },
  'topic-name-invalid': { v5: V5.TopicNameInvalid, v311: V311.ServerUnavailable },
  'packet-too-large': { v5: V5.PacketTooLarge, v311: V311.ServerUnavailable },
};

export function connackCode(refusal: ConnectRefusal, version: MqttVersion): number {
  const codes = REFUSAL_CODES[refusal];
  return version === 5 ? codes.v5 : codes.v311;
}

/**
 * A failed `connect` event without an MQTT code in its body (docs/protocol/cloud-events.md §10): the HTTP status maps
 * to a CONNACK code the way @azure/web-pubsub-express maps them for its `fail(code)` — 400 bad
 * username or password, 401 not authorized, anything else unavailable (3.1.1) or unspecified (5.0).
 */
export function connackCodeForStatus(status: number, version: MqttVersion): number {
  if (status === 400) return connackCode('bad-username-or-password', version);
  if (status === 401) return connackCode('not-authorized', version);
  return version === 5 ? V5.UnspecifiedError : V311.ServerUnavailable;
}

/** True when `code` is a CONNACK refusal code of this version (a reply naming another version's code is not used). */
export function isConnackRefusal(code: unknown, version: MqttVersion): code is number {
  if (typeof code !== 'number' || !Number.isInteger(code)) return false;
  if (version === 4) return code >= 1 && code <= 5;
  return code >= 0x80 && code <= 0xff;
}
