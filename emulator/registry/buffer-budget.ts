/**
 * One global bound on the bytes the emulator holds for its clients (docs/emulator-limits.md). Each
 * connection reports what it holds in three places, and the budget keeps the running total:
 * - `replay`: unacknowledged frames of a reliable connection (docs/protocol/client-protocols.md §4.1);
 * - `outbound`: bytes written to the socket that the client has not read yet;
 * - `inbound`: frames a client sent while its previous user event is still upstream.
 * Per-connection caps bound each part; without a global one, many connections times a per-connection
 * cap had no bound at all (40 non-acking receivers took the process from 79 MB to 694 MB).
 * Counted at face value: a frame shared by several sockets counts once per socket. Pure bookkeeping.
 */

export type BufferPart = 'replay' | 'outbound' | 'inbound';

interface Held {
  replay: number;
  outbound: number;
  inbound: number;
  total: number;
}

export class BufferBudget<H> {
  private readonly held = new Map<H, Held>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  get totalBytes(): number {
    return this.total;
  }

  get overLimit(): boolean {
    return this.total > this.maxBytes;
  }

  /** Records that `holder` now holds `bytes` in `part` (not a delta). */
  set(holder: H, part: BufferPart, bytes: number): void {
    let entry = this.held.get(holder);
    if (entry === undefined) {
      if (bytes === 0) return;
      entry = { replay: 0, outbound: 0, inbound: 0, total: 0 };
      this.held.set(holder, entry);
    }
    const delta = bytes - entry[part];
    entry[part] = bytes;
    entry.total += delta;
    this.total += delta;
    // Only holders of something stay in the map, so finding the largest one stays cheap.
    if (entry.total === 0) this.held.delete(holder);
  }

  /** Everything the holder held is released (its connection ended). */
  forget(holder: H): void {
    const entry = this.held.get(holder);
    if (entry === undefined) return;
    this.total -= entry.total;
    this.held.delete(holder);
  }

  bytesOf(holder: H): number {
    return this.held.get(holder)?.total ?? 0;
  }

  /** The holder with the most bytes: at the limit it is the one to let go (the slowest reader). */
  largest(): H | undefined {
    let best: H | undefined;
    let bestBytes = 0;
    for (const [holder, entry] of this.held) {
      if (entry.total > bestBytes) {
        best = holder;
        bestBytes = entry.total;
      }
    }
    return best;
  }
}
