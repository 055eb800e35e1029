import type { OutboundMessage } from '../core/types';
import { encodeStreamAck, encodeStreamClosed, encodeStreamGroupMessage, encodeStreamNack, type StreamError, type StreamInfo } from './stream-frames';

/**
 * The group streams one connection is sending (docs/protocol/client-sdk-features.md §3). A stream opens
 * with a `sendToGroup` carrying `stream`, carries numbered `streamData` fragments (1, 2, …) and closes with
 * `streamEnd`. The service acks each fragment with the next sequence id it expects, forwards fragments to
 * the group in order with a `stream` descriptor, and marks the end with an `endOfStream` fragment.
 *
 * Choices where the sources are silent (marked in docs/features.md): fragments are acked one by one; a
 * fragment already seen is acked again and not forwarded (replay after a recovery); a gap is nacked with
 * `SequenceGap`; an aborted stream reaches receivers as `StreamAborted`, an idle one as `IdleTimeout`
 * (the name the SDK's own live tests accept), a stream whose sender went away as `ConnectionClosed`.
 */

export interface StreamHost {
  /** To the sending connection. */
  send(frame: string): void;
  /** May this connection send to the group (the `sendToGroup` permission)? */
  canSend(group: string): boolean;
  /** Delivers an envelope to the group's members. */
  publish(group: string, envelope: string, message: OutboundMessage | undefined, noEcho: boolean): void;
  readonly fromUserId: string | null;
}

export interface StreamOptions {
  /** Idle timeout when the opening frame names none. */
  readonly defaultIdleTimeoutMs: number;
  /** Longer requested timeouts are cut to this. */
  readonly maxIdleTimeoutMs: number;
  /** Open streams per connection. */
  readonly maxStreams: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { defaultIdleTimeoutMs: 300_000, maxIdleTimeoutMs: 3_600_000, maxStreams: 100 };

interface OpenStream {
  readonly group: string;
  readonly noEcho: boolean;
  readonly idleMs: number;
  /** The next fragment's sequence id. */
  expected: number;
  timer: NodeJS.Timeout;
}

export class GroupStreams {
  private readonly open = new Map<string, OpenStream>();

  constructor(
    private readonly host: StreamHost,
    private readonly options: StreamOptions = DEFAULT_STREAM_OPTIONS,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Opens a stream; false when refused (the caller acks an `ackId` accordingly). */
  start(
    streamId: string,
    group: string,
    noEcho: boolean,
    idleTimeoutMs: number | undefined,
  ): { ok: true } | { ok: false; name: 'Forbidden' | 'TooManyRequests'; message: string } {
    const existing = this.open.get(streamId);
    if (existing && existing.group === group) {
      // A repeated open (e.g. after a recovery) is answered with where the stream stands.
      this.host.send(encodeStreamAck(streamId, existing.expected));
      return { ok: true };
    }
    const refuse = (name: 'Forbidden' | 'TooManyRequests', message: string) => {
      this.host.send(encodeStreamClosed(streamId, { name, message }));
      return { ok: false as const, name, message };
    };
    if (existing) return refuse('Forbidden', `stream "${streamId}" is already open to another group`);
    if (!this.host.canSend(group)) return refuse('Forbidden', `no permission to send to group "${group}"`);
    if (this.open.size >= this.options.maxStreams) return refuse('TooManyRequests', `a connection can have at most ${this.options.maxStreams} open streams`);
    const idleMs = Math.min(idleTimeoutMs ?? this.options.defaultIdleTimeoutMs, this.options.maxIdleTimeoutMs);
    this.open.set(streamId, { group, noEcho, idleMs, expected: 1, timer: this.idleTimer(streamId, idleMs) });
    this.host.send(encodeStreamAck(streamId, 1));
    return { ok: true };
  }

  /** A fragment (`sequenceId` + `message`) or, without them, a keep-alive. */
  data(streamId: string, sequenceId?: number, message?: OutboundMessage): void {
    const s = this.open.get(streamId);
    if (!s) {
      this.host.send(encodeStreamClosed(streamId, { name: 'StreamNotFound', message: `stream "${streamId}" is not open` }));
      return;
    }
    this.touch(streamId, s);
    if (sequenceId === undefined || message === undefined) return;
    if (sequenceId < s.expected) {
      this.host.send(encodeStreamAck(streamId, s.expected));
      return;
    }
    if (sequenceId > s.expected) {
      this.host.send(encodeStreamNack(streamId, s.expected, 'SequenceGap', `expected fragment ${s.expected}, got ${sequenceId}`));
      return;
    }
    this.forward(streamId, s, { streamId, streamSequenceId: sequenceId }, message);
    s.expected += 1;
    this.host.send(encodeStreamAck(streamId, s.expected));
  }

  /** `streamEnd`: receivers get the end marker (with `StreamAborted` when the sender gave an error). */
  end(streamId: string, error?: { message?: string; userErrorCode?: string }): void {
    const s = this.open.get(streamId);
    if (!s) {
      this.host.send(encodeStreamClosed(streamId, { name: 'StreamNotFound', message: `stream "${streamId}" is not open` }));
      return;
    }
    this.finish(streamId, s, error ? { name: 'StreamAborted', ...error } : undefined);
    this.host.send(encodeStreamClosed(streamId));
  }

  /** A malformed frame for a stream: the stream (if open) ends with `BadRequest` on both sides. */
  invalid(streamId: string, reason: string): void {
    const s = this.open.get(streamId);
    if (s) this.finish(streamId, s, { name: 'BadRequest', message: reason });
    this.host.send(encodeStreamClosed(streamId, { name: 'BadRequest', message: reason }));
  }

  /** The sending connection ended: receivers learn that each open stream will not finish. */
  dispose(): void {
    for (const [streamId, s] of [...this.open]) this.finish(streamId, s, { name: 'ConnectionClosed', message: 'the sending connection closed' });
  }

  private forward(streamId: string, s: OpenStream, info: StreamInfo, message?: OutboundMessage): void {
    this.host.publish(s.group, encodeStreamGroupMessage(s.group, this.host.fromUserId, info, message), message, s.noEcho);
  }

  private finish(streamId: string, s: OpenStream, error?: StreamError): void {
    clearTimeout(s.timer);
    this.open.delete(streamId);
    this.forward(streamId, s, { streamId, streamSequenceId: s.expected, endOfStream: true, ...(error ? { error } : {}) });
  }

  private touch(streamId: string, s: OpenStream): void {
    clearTimeout(s.timer);
    s.timer = this.idleTimer(streamId, s.idleMs);
  }

  private idleTimer(streamId: string, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const s = this.open.get(streamId);
      if (!s) return;
      const error = { name: 'IdleTimeout', message: `no stream traffic for ${s.idleMs} ms` };
      this.finish(streamId, s, error);
      this.host.send(encodeStreamClosed(streamId, error));
    }, ms);
    timer.unref();
    return timer;
  }
}
