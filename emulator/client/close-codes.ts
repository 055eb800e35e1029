/**
 * The WebSocket close codes the emulator sends or reads (RFC 6455 §7.4.1), named by why the emulator
 * uses each. The service's choices are in docs/protocol/client-protocols.md §3, §4 and §7.
 */

/**
 * A deliberate end: the service closed the connection (REST close, shutdown) or the client stopped.
 * A reliable client that closes with it is not recoverable.
 */
export const NORMAL_CLOSURE = 1000;

/**
 * The peer closed without a code (the close frame had no payload), as the client SDK's `stop()` does.
 * Read only, never sent; treated like NORMAL_CLOSURE.
 */
export const NO_STATUS_RECEIVED = 1005;

/** A binary frame on a JSON subprotocol connection, which accepts text frames only. */
export const UNSUPPORTED_DATA = 1003;

/** A text frame that is not a valid message of the connection's subprotocol. */
export const INVALID_FRAME_PAYLOAD = 1007;

/**
 * The service refuses to go on with this connection: the reliable replay buffer is full, a recovery
 * is refused or came too late, too many messages wait for the event handler. The client SDK starts a
 * fresh connection when a recovery ends with it.
 */
export const POLICY_VIOLATION = 1008;

/** A frame larger than the service's 1 MB message limit. */
export const MESSAGE_TOO_BIG = 1009;

/** Something failed on the service's side (an event handler error for a simple client, or a bug). */
export const INTERNAL_ERROR = 1011;

/** True for the codes that mean the peer meant to close (so a reliable connection is not kept). */
export function isDeliberateClose(code: number): boolean {
  return code === NORMAL_CLOSURE || code === NO_STATUS_RECEIVED;
}
