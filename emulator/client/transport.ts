import type { Duplex } from 'node:stream';
import WebSocket from 'ws';

/**
 * The only view sessions and the registry have of a socket. Outbound frames are queued per connection
 * and flushed once per event-loop turn inside cork()/uncork(): batching writes is the main fan-out lever
 * (one write syscall per socket per turn instead of one per frame; see the fan-out rows in docs/benchmarks.md).
 */
export interface Transport {
  /** Queues a frame; dropped when the socket is no longer open. */
  send(data: string | Buffer, binary: boolean): void;
  /** Flushes queued frames, then starts the close handshake. */
  close(code: number, reason: string): void;
  /** Destroys the socket now (superseded transport, unanswered pings). */
  terminate(): void;
  readonly isOpen: boolean;
  /** Unsent bytes in the socket, for slow-client detection. */
  readonly bufferedAmount: number;
}

/** Flushes every dirty transport once per turn (one setImmediate for all of them). */
export class FlushScheduler {
  private readonly dirty = new Set<WsTransport>();
  private scheduled = false;

  mark(t: WsTransport): void {
    this.dirty.add(t);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  private readonly flushAll = (): void => {
    this.scheduled = false;
    for (const t of this.dirty) t.flush();
    this.dirty.clear();
  };
}

/** Unsent bytes beyond which a client counts as too slow to keep. */
const SLOW_CLIENT_BYTES = 64 * 1024 * 1024;

export class WsTransport implements Transport {
  /** Frames queued this turn; created on first send (an idle connection holds none). */
  private queue: (string | Buffer)[] | undefined;
  private binaryFlags: boolean[] | undefined;
  /** Set by the keepalive sweep; cleared by a pong. */
  awaitingPong = false;
  /** Told the socket's unread bytes whenever they change (flush, drain, close), for the global budget. */
  onBufferedChange: ((bytes: number) => void) | undefined;
  private reportedBytes = 0;

  constructor(
    readonly ws: WebSocket,
    /** The raw socket ws writes to (from the upgrade), so a flush can cork it. */
    private readonly socket: Duplex,
    private readonly scheduler: FlushScheduler,
  ) {
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('drain', () => this.reportBuffered());
    ws.on('close', () => this.reportBuffered(0));
  }

  private reportBuffered(bytes = this.ws.bufferedAmount): void {
    if (bytes === this.reportedBytes) return;
    this.reportedBytes = bytes;
    this.onBufferedChange?.(bytes);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(data: string | Buffer, binary: boolean): void {
    if (!this.isOpen) return;
    const queue = (this.queue ??= []);
    queue.push(data);
    (this.binaryFlags ??= []).push(binary);
    if (queue.length === 1) this.scheduler.mark(this);
  }

  /**
   * Writes a frame at once instead of at the end of the turn, when nothing is queued (so frame order is
   * kept). Used for `connected` inside the upgrade's cork, so the 101 response and that frame leave in
   * one write instead of two (a syscall per connection in a connect storm).
   */
  sendNow(data: string | Buffer, binary: boolean): void {
    if (this.queue !== undefined && this.queue.length > 0) return this.send(data, binary);
    if (this.isOpen) this.ws.send(data, { binary });
  }

  flush(): void {
    const queue = this.queue;
    const flags = this.binaryFlags;
    if (queue === undefined || flags === undefined || queue.length === 0) return;
    this.queue = undefined;
    this.binaryFlags = undefined;
    if (!this.isOpen) return;
    this.socket.cork();
    for (let i = 0; i < queue.length; i++) this.ws.send(queue[i]!, { binary: flags[i]! });
    this.socket.uncork();
    // docs/protocol/client-protocols.md §6: a client that cannot drain its buffer is dropped (the service's SlowClient).
    if (this.ws.bufferedAmount > SLOW_CLIENT_BYTES) this.ws.terminate();
    else this.reportBuffered();
  }

  close(code: number, reason: string): void {
    this.flush();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, truncateReason(reason));
  }

  terminate(): void {
    this.queue = undefined;
    this.binaryFlags = undefined;
    this.ws.terminate();
  }

  ping(): void {
    if (this.isOpen) this.ws.ping();
  }
}

/** RFC 6455 §5.5: a close reason fits in 123 bytes of UTF-8. */
export function truncateReason(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r, 'utf8') > 123) r = r.slice(0, -1);
  return r;
}
