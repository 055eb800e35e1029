/**
 * Verification results of bearer tokens, kept until the token expires, as a service front end keeps
 * them: an app sends the same REST token for every call to one URL until it renews it, and checking
 * its signature again each time is wasted work.
 *
 * Safety rests on the key, which the caller builds from everything the verification looked at: the
 * whole token (a tampered token is another string, so it misses and is verified in full) and what it
 * was checked against (for access-key tokens the full request URL its audience had to match, so an
 * entry never authorises another hub, path or query). Each entry also remembers the key generation it
 * was verified under, an object such as the access-key list: a lookup with another generation (keys
 * regenerated) misses and drops the entry. Entries drop at their expiry. Only successes are stored.
 *
 * Bounded: at most `maxEntries` entries (least recently used leaves first), and keys longer than
 * `maxKeyLength` are never stored, so a caller sending huge or ever-new tokens costs bounded memory.
 */
interface Entry<T> {
  readonly generation: object;
  readonly value: T;
  /** Milliseconds since the epoch; the entry is gone from this instant on. */
  readonly expiresAtMs: number;
}

export interface VerifiedTokenCacheOptions {
  readonly maxEntries?: number;
  readonly maxKeyLength?: number;
}

export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly maxKeyLength: number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxKeyLength = options.maxKeyLength ?? 8192;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stored value, or undefined when absent, expired at `nowMs`, or verified under another generation. */
  get(key: string, generation: object, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.generation !== generation || nowMs >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used goes last (Map keeps insertion order), so the first entry is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores a successful verification until `expiresAtMs`. */
  set(key: string, generation: object, value: T, expiresAtMs: number, nowMs: number): void {
    if (key.length > this.maxKeyLength || !(expiresAtMs > nowMs)) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { generation, value, expiresAtMs });
  }

  /** Forgets everything (keys regenerated, or the authority's signing keys replaced). */
  clear(): void {
    this.entries.clear();
  }
}
