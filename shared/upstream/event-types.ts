/**
 * Types only: the upstream events as hub code sees them (docs/protocol/cloud-events.md §5–§8). Names follow
 * `@azure/web-pubsub-express` (`ConnectRequest`, `ConnectResponse`, `UserEventRequest`, `ConnectionContext`)
 * so users of the SDK feel at home; there is only `query` (no `queries` alias).
 */

/** Who sent an event and the connection's state, from the `ce-*` headers (docs/protocol/cloud-events.md §3). */
export interface ConnectionContext {
  readonly hub: string;
  readonly connectionId: string;
  readonly eventName: string;
  /** Absent for anonymous connections (`ce-userId` omitted). */
  readonly userId?: string;
  /** The negotiated subprotocol; absent when none (and always absent on `connect`). */
  readonly subprotocol?: string;
  /** `WebHook-Request-Origin` (the service's host name); empty when the header is absent. */
  readonly origin: string;
  /** Connection state decoded from `ce-connectionState` (base64 JSON); `{}` when none or invalid. */
  readonly states: Readonly<Record<string, unknown>>;
  /**
   * `mqtt` for MQTT clients (`ce-subprotocol: mqtt` with `ce-physicalConnectionId`), else `default`.
   * The parser always sets it; absent reads as `default` (contexts built by hand).
   */
  readonly clientProtocol?: 'default' | 'mqtt';
  /** MQTT clients only (docs/protocol/cloud-events.md §10). */
  readonly mqtt?: MqttConnectionContext;
}

export interface MqttConnectionContext {
  /** One per network connection; a resumed MQTT session gets a new one. */
  readonly physicalConnectionId: string;
  /** One per MQTT session; absent on `connect`. */
  readonly sessionId?: string;
}

export interface MqttUserProperty {
  readonly name: string;
  readonly value: string;
}

/** The MQTT CONNECT packet as the `connect` event carries it (docs/protocol/cloud-events.md §10). */
export interface MqttConnectProperties {
  /** 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
  readonly protocolVersion: number;
  readonly username?: string;
  /** Base64 of the password bytes. */
  readonly password?: string;
  readonly userProperties?: readonly MqttUserProperty[];
}

/** The `mqtt` object of `disconnected` (docs/protocol/cloud-events.md §10). */
export interface MqttDisconnectedProperties {
  readonly initiatedByClient: boolean;
  readonly disconnectPacket: { readonly code: number; readonly userProperties?: readonly MqttUserProperty[] };
}

export interface Certificate {
  readonly thumbprint: string;
  readonly content?: string;
}

/** `connect` (blocking): the client's token claims and upgrade request (docs/protocol/cloud-events.md §6). */
export interface ConnectRequest {
  readonly context: ConnectionContext;
  /** Every JWT claim, each as an array of strings. `{}` for anonymous clients. */
  readonly claims: Readonly<Record<string, readonly string[]>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly subprotocols: readonly string[];
  readonly clientCertificates: readonly Certificate[];
  /** MQTT clients only: the CONNECT packet's properties. */
  readonly mqtt?: MqttConnectProperties;
}

/** Accepts a connection, optionally changing identity, groups, roles or subprotocol. All optional. */
export interface ConnectResponse {
  userId?: string;
  groups?: string[];
  roles?: string[];
  /** Must be one of the `subprotocols` the client offered. */
  subprotocol?: string;
  /** MQTT 5.0 clients: user properties for the CONNACK. */
  mqtt?: { userProperties?: MqttUserProperty[] };
}

export interface ConnectedRequest {
  readonly context: ConnectionContext;
}

export interface DisconnectedRequest {
  readonly context: ConnectionContext;
  /** Why the connection ended; may be empty. */
  readonly reason?: string;
  /** MQTT clients only: who ended it and the DISCONNECT packet's code. */
  readonly mqtt?: MqttDisconnectedProperties;
}

/** A connection joined a group (group presence, docs/protocol/client-sdk-features.md §5). Non-blocking. */
export interface GroupJoinedRequest {
  readonly context: ConnectionContext;
  readonly group: string;
}

/** A connection left a group — by request, by REST, or because it closed. Non-blocking. */
export interface GroupLeftRequest {
  readonly context: ConnectionContext;
  readonly group: string;
}

/** A user event: a union on `dataType`, from the request's `Content-Type` (docs/protocol/cloud-events.md §7.1). */
export type UserEventRequest =
  | { readonly context: ConnectionContext; readonly dataType: 'text'; readonly data: string }
  | { readonly context: ConnectionContext; readonly dataType: 'json'; readonly data: unknown }
  | { readonly context: ConnectionContext; readonly dataType: 'binary'; readonly data: Uint8Array };

/**
 * What a user-event handler may send back to the caller (docs/protocol/cloud-events.md §7.2). For an `event` frame it
 * reaches the client as a server message; for an `invoke` (client 1.1.0 `invokeEvent`) it is the
 * invocation's result — the same reply either way (docs/protocol/client-sdk-features.md §2).
 */
export type UserEventResponse =
  { data: string; dataType: 'text' } | { data: unknown; dataType: 'json' } | { data: Uint8Array | ArrayBuffer; dataType: 'binary' };

/** A parsed, authenticated upstream event. */
export type WebPubSubEvent =
  | { readonly kind: 'connect'; readonly request: ConnectRequest }
  | { readonly kind: 'connected'; readonly request: ConnectedRequest }
  | { readonly kind: 'user'; readonly request: UserEventRequest }
  | { readonly kind: 'disconnected'; readonly request: DisconnectedRequest }
  | { readonly kind: 'groupJoined'; readonly request: GroupJoinedRequest }
  | { readonly kind: 'groupLeft'; readonly request: GroupLeftRequest };

/** Plain HTTP reply produced by the pure modules; `functions/http.ts` turns it into an HttpResponseInit. */
export interface HttpReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}
