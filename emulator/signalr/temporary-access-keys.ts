import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The temporary access keys SignalR Service hands to an app that authenticates with Microsoft Entra ID
 * (docs/protocol/signalr.md §6.2): `GET /api/auth/accessKey` answers `{ KeyId, AccessKey }`, the app
 * signs client tokens with that key and names it in the JWT header's `kid`, and the service accepts
 * them for 90 minutes. `now` is in milliseconds.
 */

export const TEMPORARY_KEY_LIFETIME_MS = 90 * 60 * 1000;

export interface TemporaryAccessKey {
  readonly KeyId: string;
  readonly AccessKey: string;
}

export class TemporaryAccessKeys {
  readonly #keys = new Map<string, { key: string; expiresAt: number }>();
  /** Keys live for different times (see issue), so expired ones are swept whenever the map has doubled. */
  #sweepAt = 64;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly lifetimeMs: number = TEMPORARY_KEY_LIFETIME_MS,
  ) {}

  /**
   * A new key, valid for the usual lifetime or for `atLeastMs` when longer: a key that signs a token itself
   * (`:generateToken`) must stay valid as long as that token.
   */
  issue(atLeastMs = 0): TemporaryAccessKey {
    this.#sweep();
    const KeyId = randomUUID();
    const AccessKey = randomBytes(32).toString('base64');
    this.#keys.set(KeyId, { key: AccessKey, expiresAt: this.now() + Math.max(this.lifetimeMs, atLeastMs) });
    return { KeyId, AccessKey };
  }

  /** The key named by `kid`, while it is valid. */
  keyFor(kid: unknown): string | undefined {
    if (typeof kid !== 'string') return undefined;
    const entry = this.#keys.get(kid);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.key;
  }

  /** How many keys are held (valid or not yet swept). */
  get size(): number {
    return this.#keys.size;
  }

  #sweep(): void {
    if (this.#keys.size < this.#sweepAt) return;
    const now = this.now();
    for (const [id, entry] of this.#keys) if (entry.expiresAt <= now) this.#keys.delete(id);
    this.#sweepAt = Math.max(64, this.#keys.size * 2);
  }
}
