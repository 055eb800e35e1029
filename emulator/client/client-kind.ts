/** docs/protocol/client-protocols.md §1: the three kinds of WebSocket client the emulator serves, and MQTT clients (emulator/mqtt). */
export type ClientKind = 'simple' | 'json' | 'reliable' | 'mqtt';

export const JSON_PROTOCOL = 'json.webpubsub.azure.v1';
export const RELIABLE_JSON_PROTOCOL = 'json.reliable.webpubsub.azure.v1';
const PROTOBUF_PROTOCOLS = new Set(['protobuf.webpubsub.azure.v1', 'protobuf.reliable.webpubsub.azure.v1']);

/** The kind a selected subprotocol gives; null or a custom one = simple client (docs/protocol/client-protocols.md §1). */
export function kindOfProtocol(protocol: string | null): ClientKind {
  if (protocol === JSON_PROTOCOL) return 'json';
  if (protocol === RELIABLE_JSON_PROTOCOL) return 'reliable';
  return 'simple';
}

export function isProtobufProtocol(protocol: string): boolean {
  return PROTOBUF_PROTOCOLS.has(protocol);
}

export type SubprotocolChoice = { ok: true; protocol: string | null } | { ok: false; status: number; message: string };

/**
 * Picks the subprotocol to echo (docs/protocol/client-protocols.md §1). `chosen` is the connect handler's `subprotocol`:
 * it must be one of the offered values. Without it: the first offered JSON subprotocol; none offered =
 * simple client. Protobuf is not implemented; custom subprotocols need a connect handler to pick one.
 */
export function selectSubprotocol(offered: readonly string[], chosen?: string): SubprotocolChoice {
  if (chosen !== undefined) {
    if (!offered.includes(chosen))
      return { ok: false, status: 500, message: `the connect handler selected subprotocol "${chosen}", which the client did not offer` };
    if (isProtobufProtocol(chosen))
      return {
        ok: false,
        status: 400,
        message: 'protobuf subprotocols are not supported by this emulator; use json.webpubsub.azure.v1 or json.reliable.webpubsub.azure.v1',
      };
    return { ok: true, protocol: chosen };
  }
  if (offered.length === 0) return { ok: true, protocol: null };
  const json = offered.find((p) => p === JSON_PROTOCOL || p === RELIABLE_JSON_PROTOCOL);
  if (json) return { ok: true, protocol: json };
  if (offered.every(isProtobufProtocol)) {
    return {
      ok: false,
      status: 400,
      message: 'protobuf subprotocols are not supported by this emulator; use json.webpubsub.azure.v1 or json.reliable.webpubsub.azure.v1',
    };
  }
  return {
    ok: false,
    status: 400,
    message: 'none of the offered subprotocols is supported (a custom subprotocol must be selected by a connect event handler)',
  };
}

/** `Sec-WebSocket-Protocol` → the offered values, in order. */
export function parseOfferedProtocols(header: string | undefined): string[] {
  if (!header) return [];
  // The usual header names one subprotocol: the constant is kept instead of a new string per
  // connection (the selected protocol stays on the connection for its whole life).
  if (header === JSON_PROTOCOL || header === RELIABLE_JSON_PROTOCOL) return [header === JSON_PROTOCOL ? JSON_PROTOCOL : RELIABLE_JSON_PROTOCOL];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
