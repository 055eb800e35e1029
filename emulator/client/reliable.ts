/**
 * The reliable subprotocol's replay buffer (docs/protocol/client-protocols.md §4.1): numbers data frames from 1,
 * keeps each until a cumulative `sequenceAck`, and enforces the 1000-message / 16 MB cap.
 */
export interface ReliableLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

export const DEFAULT_RELIABLE_LIMITS: ReliableLimits = { maxMessages: 1000, maxBytes: 16 * 1024 * 1024 };

interface Entry {
  readonly sequenceId: number;
  readonly frame: string;
  readonly size: number;
}

export class ReliableBuffer {
  private nextId = 1;
  private entries: Entry[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: ReliableLimits = DEFAULT_RELIABLE_LIMITS) {}

  /** The id the next data frame gets. */
  get nextSequenceId(): number {
    return this.nextId;
  }

  get unackedCount(): number {
    return this.entries.length - this.head;
  }

  get unackedBytes(): number {
    return this.bytes;
  }

  /**
   * Stores a frame under the next id (the caller built it with that id). Returns false when the
   * buffer would exceed its cap: the connection must then be closed with 1008 and cannot be recovered.
   */
  push(frame: string): boolean {
    const size = Buffer.byteLength(frame, 'utf8');
    if (this.unackedCount + 1 > this.limits.maxMessages || this.bytes + size > this.limits.maxBytes) return false;
    this.entries.push({ sequenceId: this.nextId++, frame, size });
    this.bytes += size;
    return true;
  }

  /** Releases every frame with id ≤ `sequenceId` (cumulative). */
  ack(sequenceId: number): void {
    while (this.head < this.entries.length && this.entries[this.head]!.sequenceId <= sequenceId) {
      this.bytes -= this.entries[this.head]!.size;
      this.head++;
    }
    // Compact now and then so acked frames do not stay referenced.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops every frame: the connection ended for good, so nothing will be resent. */
  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }

  /** The unacked frames in order, for resending after recovery (docs/protocol/client-protocols.md §4.2 step 3). */
  unacked(): string[] {
    return this.entries.slice(this.head).map((e) => e.frame);
  }
}
