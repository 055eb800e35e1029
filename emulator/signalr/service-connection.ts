import { EncodedHubMessage } from './encoded-hub-message';
import { handshakeResponse, readHandshake } from './handshake';
import { HubProtocolError, type HubMessage, type HubProtocol, type InvocationMessage } from './hub-messages';
import type { HubClient } from './hub-registry';

/**
 * One client connection of the SignalR client protocol (docs/protocol/signalr.md §2-§3), from
 * negotiate to close, independent of the transport carrying it: negotiated → handshake → open →
 * closed. Keep-alive pings go out every `keepAliveMs`; a client silent for `clientTimeoutMs` is closed.
 */

export type TransportKind = 'WebSockets' | 'ServerSentEvents' | 'LongPolling';

/** What a transport offers the connection: whole payloads out, and one close. */
export interface TransportSink {
  readonly kind: TransportKind;
  /** SSE carries text only. */
  readonly binary: boolean;
  send(payload: Uint8Array): void;
  close(): void;
}

export interface ConnectionEvents {
  onOpen(conn: ServiceConnection): void;
  onInvocation(conn: ServiceConnection, message: InvocationMessage): void;
  /** `wasOpen`: the handshake had succeeded (so `connected` went upstream and `disconnected` must follow). */
  onEnded(conn: ServiceConnection, error: string | undefined, wasOpen: boolean): void;
}

export interface ConnectionTimings {
  readonly keepAliveMs: number;
  readonly clientTimeoutMs: number;
  /** A negotiated connection must open a transport and complete its handshake within this. */
  readonly handshakeTimeoutMs: number;
}

export type ConnectionState = 'negotiated' | 'handshake' | 'open' | 'closed';

export class ServiceConnection implements HubClient {
  state: ConnectionState = 'negotiated';
  protocol?: HubProtocol;
  transport?: TransportSink;
  private buffered: Uint8Array = new Uint8Array(0);
  private keepAlive?: NodeJS.Timeout;
  private silence?: NodeJS.Timeout;
  private handshakeTimer?: NodeJS.Timeout;

  constructor(
    readonly connectionId: string,
    /** Secret: names the connection in transport URLs; never logged. */
    readonly connectionToken: string,
    readonly hub: string,
    readonly userId: string | undefined,
    readonly claims: Readonly<Record<string, unknown>>,
    readonly clientQuery: string,
    private readonly events: ConnectionEvents,
    private readonly timings: ConnectionTimings,
  ) {
    this.handshakeTimer = setTimeout(() => this.close('The client did not complete the handshake in time.'), timings.handshakeTimeoutMs);
    this.handshakeTimer.unref?.();
  }

  /** A transport attaches once; a second transport for the same connection is refused. */
  attach(transport: TransportSink): boolean {
    if (this.state !== 'negotiated') return false;
    this.transport = transport;
    this.state = 'handshake';
    return true;
  }

  /** Bytes from the transport: first the handshake, then hub messages. */
  receive(data: Uint8Array): void {
    if (this.state === 'closed') return;
    this.touch();
    if (this.state === 'handshake') {
      const joined = new Uint8Array(this.buffered.length + data.length);
      joined.set(this.buffered, 0);
      joined.set(data, this.buffered.length);
      const result = readHandshake(joined, this.transport!.binary ? 'Binary' : 'Text');
      if (result.kind === 'incomplete') {
        this.buffered = joined;
        return;
      }
      this.buffered = new Uint8Array(0);
      if (result.kind === 'refused') {
        this.transport!.send(handshakeResponse(result.error));
        this.end(result.error);
        return;
      }
      this.protocol = result.protocol;
      this.state = 'open';
      clearTimeout(this.handshakeTimer);
      this.transport!.send(handshakeResponse());
      this.keepAlive = setInterval(() => this.send({ type: 6 }), this.timings.keepAliveMs);
      this.keepAlive.unref?.();
      this.events.onOpen(this);
      if (result.rest.length > 0) this.receive(result.rest);
      return;
    }
    if (this.state !== 'open') return;
    let messages: HubMessage[];
    try {
      messages = this.protocol!.parse(data);
    } catch (e) {
      this.close(e instanceof HubProtocolError ? `Invalid message: ${e.message}` : 'Invalid message.');
      return;
    }
    for (const m of messages) this.dispatch(m);
  }

  private dispatch(m: HubMessage): void {
    switch (m.type) {
      case 1:
        this.events.onInvocation(this, m);
        return;
      case 4:
        // Serverless mode has no hub code in the service to stream from.
        this.send({ type: 3, invocationId: m.invocationId, error: 'Streaming invocations are not supported in Serverless mode.' });
        return;
      case 7:
        this.end(m.error);
        return;
      default:
        // Pings keep the connection alive (touch above); client stream items, completions and
        // cancellations have no server-side hub to reach in Serverless mode.
        return;
    }
  }

  /** A message for many connections comes encoded once (EncodedHubMessage). */
  send(message: HubMessage | EncodedHubMessage): void {
    if (this.state !== 'open') return;
    this.transport!.send(message instanceof EncodedHubMessage ? message.for(this.protocol!) : this.protocol!.write(message));
  }

  /** Closes from the service side: a Close message (with the error), then the transport. */
  close(error?: string, allowReconnect = false): void {
    if (this.state === 'closed') return;
    this.send({ type: 7, ...(error !== undefined ? { error } : {}), allowReconnect });
    this.end(error);
  }

  /** The transport went away, or the close is complete. Idempotent. */
  end(error?: string): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.handshakeTimer);
    clearInterval(this.keepAlive);
    clearTimeout(this.silence);
    this.transport?.close();
    this.events.onEnded(this, error, wasOpen);
  }

  private touch(): void {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => this.close('Server timeout elapsed without receiving a message from the client.'), this.timings.clientTimeoutMs);
    this.silence.unref?.();
  }
}
