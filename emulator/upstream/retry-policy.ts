/**
 * Which failed upstream calls are worth retrying (docs/protocol/cloud-events.md §11). Only the network can heal: a
 * refused or reset connection, an unreachable host, a DNS hiccup, and replies 408 and 5xx. A local error
 * (Node's `ERR_*` codes: a header Node refuses, a bad URL) or a malformed reply fails the same way every
 * time, so retrying it only delays the client (it cost 1 + 3 + 5 s per event before). Pure.
 */

/** Socket and connection errors: the upstream may be restarting or briefly unreachable. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EAI_AGAIN',
  'ENOTFOUND',
  // undici's names for the same failures: the connection closed before the reply ended, or it could not
  // be opened in time.
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export type FailureKind = 'network' | 'local';

/** Classifies an error from an outgoing request (undici's, or node:http's for the same failures). */
export function classifyRequestError(error: unknown): FailureKind {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code) ? 'network' : 'local';
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

/** A log- and reply-safe description: the error code first when there is one. */
export function describeRequestError(error: unknown): string {
  // Duck-typed: errors from Node's internals may come from another realm (instanceof Error is false there).
  const { code, message: raw } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const message = typeof raw === 'string' ? raw : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
