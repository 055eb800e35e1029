import { POLICY_VIOLATION } from './client/close-codes';

/**
 * Service-wide limits of the emulator (docs/emulator-limits.md). They stand in for the front end of the
 * real service, which protects itself from clients that read slowly, never acknowledge, or open many
 * connections under one user id.
 */
export interface EmulatorLimits {
  /**
   * Bytes held for all clients together: reliable replay buffers, unread outbound socket data and
   * inbound frames waiting behind a user event. At the limit the connection holding the most is closed
   * with BUFFER_LIMIT_CLOSE_CODE. Default 256 MB.
   */
  readonly maxBufferedBytes: number;
  /** Open (or recoverable) connections of one user id in one hub; one more is refused with 429. Default 100. */
  readonly maxConnectionsPerUser: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = { maxBufferedBytes: 256 * 1024 * 1024, maxConnectionsPerUser: 100 };

/** Policy violation, as for a full reliable buffer: final, so the SDK does not try to recover it. */
export const BUFFER_LIMIT_CLOSE_CODE = POLICY_VIOLATION;
export const BUFFER_LIMIT_CLOSE_REASON = 'the service buffer limit is reached and this connection holds the most unread or unacknowledged data';

export function tooManyConnectionsMessage(userId: string, max: number): string {
  return `user ${JSON.stringify(userId)} already has ${max} connections to this hub (the limit per user); close one first`;
}

/** Merges given limits over the defaults; throws RangeError for a value that is not a positive integer. */
export function resolveLimits(given: Partial<EmulatorLimits> | undefined): EmulatorLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`limits.${name} must be a positive whole number, got ${String(value)}`);
  }
  return limits;
}
