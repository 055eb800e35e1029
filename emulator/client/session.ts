import type { OutboundMessage } from '../core/types';
import { hasPermission } from '../auth/permissions';
import type { ServiceHubSettings } from '../config';
import { logValue, type Log } from '../log';
import type { Connection } from '../registry/connection';
import type { Registry } from '../registry/registry';
import { userEvent } from '../upstream/cloud-event-request';
import type { EventDispatcher } from '../upstream/event-dispatcher';
import { mapUserEventReply } from '../upstream/user-event-reply';
import { GroupStreams, type StreamOptions } from './group-streams';
import { encodeInvokeResponse } from './invocation-frames';
import { type InvocationOptions, type InvocationOutcome, Invocations } from './invocations';
import { type AckErrorName, type ClientMessage, encodeAck, parseClientMessage, PONG } from './json-protocol';
import { INTERNAL_ERROR, INVALID_FRAME_PAYLOAD, POLICY_VIOLATION, UNSUPPORTED_DATA } from './close-codes';

export interface SessionServices {
  readonly registry: Registry;
  readonly dispatcher: EventDispatcher;
  readonly hubSettings: (hub: string) => ServiceHubSettings;
  readonly log: Log;
  /** Invocation timeout and bound (docs/protocol/client-sdk-features.md §2); defaults when absent. */
  readonly invocations?: InvocationOptions;
  /** Group-stream idle timeouts and bound (docs/protocol/client-sdk-features.md §3); defaults when absent. */
  readonly streams?: StreamOptions;
}

/** How many successful ackIds a connection remembers for `Duplicate` answers. */
const MAX_REMEMBERED_ACK_IDS = 100_000;

/** Frames waiting while a blocking user event is in flight; beyond this the client is too far ahead. */
const MAX_PENDING_FRAMES = 10_000;
/** The same bound in bytes: 10,000 frames of up to 1 MB each would otherwise be 10 GB per connection. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** Groups a client may be in when it asks to join one more (joinGroup); bounds a joinGroup flood. */
export const MAX_CLIENT_GROUPS = 1000;

/**
 * Handles what one client sends (docs/protocol/client-protocols.md §2, §3.1). Frames are processed in order; a user
 * event blocks the following frames of that client until its reply arrives (docs/protocol/cloud-events.md §5).
 * Errors map to acks or close codes here and nowhere else, so the protocol's error behaviour is in one file.
 */
export class ClientSession {
  private busy = false;
  /** Created when a frame first has to wait: most connections never queue one. */
  private pending: { data: Buffer; isBinary: boolean }[] | undefined;
  private pendingBytes = 0;
  private warnedForbidden = false;
  /** Created on first use: most connections never invoke or stream. */
  private invocationsInFlight: Invocations | undefined;
  private outboundStreams: GroupStreams | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly services: SessionServices,
  ) {}

  receive(data: Buffer, isBinary: boolean): void {
    if (this.conn.ended) return;
    if (this.busy) {
      const pending = (this.pending ??= []);
      if (pending.length >= MAX_PENDING_FRAMES || this.pendingBytes + data.length > MAX_PENDING_BYTES) {
        this.services.registry.end(this.conn, { code: POLICY_VIOLATION, reason: 'too many messages are waiting for the event handler' });
        return;
      }
      pending.push({ data, isBinary });
      this.pendingBytes += data.length;
      this.services.registry.account(this.conn, 'inbound', this.pendingBytes);
      return;
    }
    this.run(data, isBinary);
  }

  private run(data: Buffer, isBinary: boolean): void {
    let work: Promise<void> | void;
    try {
      work = this.conn.kind === 'simple' ? this.handleSimpleFrame(data, isBinary) : this.handleJsonFrame(data, isBinary);
    } catch (e) {
      this.failInternal(e);
      return;
    }
    if (!work) return;
    this.busy = true;
    work
      .catch((e) => this.failInternal(e))
      .finally(() => {
        this.busy = false;
        while (!this.busy && this.pending !== undefined && this.pending.length > 0 && !this.conn.ended) {
          const next = this.pending.shift()!;
          this.pendingBytes -= next.data.length;
          this.services.registry.account(this.conn, 'inbound', this.pendingBytes);
          this.run(next.data, next.isBinary);
        }
      });
  }

  /** The connection ended for good: pending invocations are dropped, open streams end for their receivers. */
  dispose(): void {
    this.invocationsInFlight?.dispose();
    this.outboundStreams?.dispose();
  }

  private get invocations(): Invocations {
    return (this.invocationsInFlight ??= new Invocations((frame) => this.sendFrame(frame), this.services.invocations));
  }

  private get streams(): GroupStreams {
    const conn = this.conn;
    const registry = this.services.registry;
    return (this.outboundStreams ??= new GroupStreams(
      {
        send: (frame) => this.sendFrame(frame),
        canSend: (group) => hasPermission(conn.permissions, 'sendToGroup', group),
        publish: (group, envelope, message, noEcho) => registry.publishStream(conn, group, envelope, message, noEcho),
        fromUserId: conn.userId,
      },
      this.services.streams,
    ));
  }

  private sendFrame(frame: string): void {
    if (!this.conn.ended) this.conn.transport?.send(frame, false);
  }

  /** Anything untyped closes the connection with INTERNAL_ERROR (1011), logged once. */
  private failInternal(e: unknown): void {
    this.services.log(`error hub=${this.conn.hub} id=${this.conn.connectionId}: ${logValue(e instanceof Error ? e.message : String(e))}`);
    this.services.registry.end(this.conn, { code: INTERNAL_ERROR, reason: 'internal error' });
  }

  // ---- simple clients (docs/protocol/client-protocols.md §2) --------------------------------------------------

  private handleSimpleFrame(data: Buffer, isBinary: boolean): Promise<void> | void {
    const mode = this.conn.mode;
    if (mode.name === 'sendToGroup') {
      if (!hasPermission(this.conn.permissions, 'sendToGroup', mode.group)) {
        // Simple clients get no acks: drop the frame, log once per connection.
        if (!this.warnedForbidden)
          this.services.log(
            `forbidden hub=${this.conn.hub} id=${this.conn.connectionId}: no sendToGroup permission for ${logValue(mode.group)}; frames dropped`,
          );
        this.warnedForbidden = true;
        return;
      }
      this.services.registry.publishFromClient(this.conn, mode.group, { dataType: isBinary ? 'binary' : 'text', data }, mode.noEcho);
      return;
    }
    return this.sendUserEvent('message', { dataType: isBinary ? 'binary' : 'text', data }).then((failure) => {
      // docs/protocol/cloud-events.md §7.2: a failed `message` event closes a simple client (1011 as the official emulator).
      if (failure !== undefined) this.services.registry.end(this.conn, { code: INTERNAL_ERROR, reason: failure });
    });
  }

  // ---- JSON subprotocols (docs/protocol/client-protocols.md §3.1) ---------------------------------------------

  private handleJsonFrame(data: Buffer, isBinary: boolean): Promise<void> | void {
    // docs/protocol/client-protocols.md §3 [emulator]: binary frame → 1003, unparsable/invalid message → 1007.
    if (isBinary) {
      this.services.registry.end(this.conn, { code: UNSUPPORTED_DATA, reason: 'the JSON subprotocols accept text frames only' });
      return;
    }
    const parsed = parseClientMessage(data.toString('utf8'));
    if ('invalid' in parsed) {
      if (parsed.ackId !== undefined) this.ack(parsed.ackId, { name: 'BadRequest', message: parsed.invalid });
      else this.services.registry.end(this.conn, { code: INVALID_FRAME_PAYLOAD, reason: `invalid message: ${parsed.invalid}` });
      return;
    }
    return this.handleMessage(parsed);
  }

  private handleMessage(m: ClientMessage): Promise<void> | void {
    const registry = this.services.registry;
    switch (m.type) {
      case 'ping':
        this.conn.transport?.send(PONG, false);
        return;
      case 'sequenceAck':
        if (this.conn.reliable) {
          this.conn.reliable.ack(m.sequenceId);
          registry.account(this.conn, 'replay', this.conn.reliable.unackedBytes);
        }
        return;
      case 'invoke': {
        const { event, message } = m;
        // Not awaited: invocations run beside later frames, so a cancelInvocation is seen while one is in flight.
        this.invocations.start(m.invocationId, () => this.invokeUpstream(event, message));
        return;
      }
      case 'invokeInvalid':
        this.sendFrame(encodeInvokeResponse({ invocationId: m.invocationId, error: { name: 'BadRequest', message: m.reason } }));
        return;
      case 'cancelInvocation':
        this.invocationsInFlight?.cancel(m.invocationId);
        return;
      case 'streamData':
        this.streams.data(m.streamId, m.sequenceId, m.message);
        return;
      case 'streamEnd':
        this.streams.end(m.streamId, m.error);
        return;
      case 'streamInvalid':
        this.streams.invalid(m.streamId, m.reason);
        return;
      case 'ignored':
        return;
    }
    if (m.ackId !== undefined && this.conn.processedAckIds?.has(m.ackId) === true) {
      this.ack(m.ackId, { name: 'Duplicate', message: `ackId ${m.ackId} was already processed` });
      return;
    }
    switch (m.type) {
      case 'joinGroup':
      case 'leaveGroup':
        if (!hasPermission(this.conn.permissions, 'joinLeaveGroup', m.group)) return this.forbid(m.ackId, `no permission to join or leave group "${m.group}"`);
        if (m.type === 'joinGroup' && !this.conn.groups.has(m.group) && this.conn.groups.size >= MAX_CLIENT_GROUPS) {
          if (m.ackId !== undefined)
            this.ack(m.ackId, { name: 'BadRequest', message: `a connection can be in at most ${MAX_CLIENT_GROUPS} groups; leave one first` });
          return;
        }
        if (m.type === 'joinGroup') registry.join(this.conn, m.group);
        else registry.leave(this.conn, m.group);
        return this.succeed(m.ackId);
      case 'sendToGroup':
        if (!hasPermission(this.conn.permissions, 'sendToGroup', m.group)) return this.forbid(m.ackId, `no permission to send to group "${m.group}"`);
        registry.publishFromClient(this.conn, m.group, m.message, m.noEcho);
        return this.succeed(m.ackId);
      case 'streamStart': {
        const started = this.streams.start(m.streamId, m.group, m.noEcho, m.idleTimeoutMs);
        if (started.ok) return this.succeed(m.ackId);
        if (m.ackId !== undefined) this.ack(m.ackId, { name: started.name === 'Forbidden' ? 'Forbidden' : 'BadRequest', message: started.message });
        return;
      }
      case 'setGroupState':
        // Group state belongs to members (emulator choice, docs/features.md).
        if (!this.conn.groups.has(m.group)) return this.forbid(m.ackId, `join group "${m.group}" before setting state in it`);
        registry.groupStates(this.conn.hub).set(this.conn, m.group, m.state);
        return this.succeed(m.ackId);
      case 'subscribeGroupState': {
        if (!this.conn.groups.has(m.group) && !hasPermission(this.conn.permissions, 'joinLeaveGroup', m.group)) {
          return this.forbid(m.ackId, `no permission to watch the state of group "${m.group}"`);
        }
        const snapshot = registry.groupStates(this.conn.hub).subscribe(this.conn, m.group);
        this.succeed(m.ackId);
        this.sendFrame(snapshot);
        return;
      }
      case 'unsubscribeGroupState':
        registry.groupStates(this.conn.hub).unsubscribe(this.conn, m.group);
        return this.succeed(m.ackId);
      case 'event':
        return this.sendUserEvent(m.event, m.message).then((failure) => {
          if (failure === undefined) this.succeed(m.ackId);
          // docs/protocol/cloud-events.md §7.2: the connection stays open (official emulator); the SDK retries on failure.
          else if (m.ackId !== undefined) this.ack(m.ackId, { name: 'InternalServerError', message: failure });
        });
    }
  }

  /**
   * Sends a user event upstream and applies the reply (docs/protocol/cloud-events.md §7.2): state, then the reply
   * message — which reaches the client before the ack. Resolves with the failure reason, if any.
   */
  private async sendUserEvent(name: string, message: OutboundMessage): Promise<string | undefined> {
    const conn = this.conn;
    const hub = this.services.hubSettings(conn.hub);
    const event = userEvent(name, message.dataType, message.data);
    const result = await this.services.dispatcher.dispatch(hub, conn.eventConnection(), event, conn.takeCeId());
    const outcome = mapUserEventReply(result);
    if (!outcome.ok) {
      this.services.log(`event ${logValue(name)} hub=${conn.hub} id=${conn.connectionId} failed: ${outcome.reason}`);
      return outcome.reason;
    }
    if (outcome.state !== undefined) conn.state = outcome.state;
    if (outcome.message && !conn.ended) this.services.registry.sendToOne(conn, outcome.message);
    return undefined;
  }

  /**
   * An invocation's upstream call (docs/protocol/client-sdk-features.md §2): the same user event as an
   * `event` frame; the reply becomes the invokeResponse instead of a server message.
   */
  private async invokeUpstream(name: string, message: OutboundMessage | undefined): Promise<InvocationOutcome> {
    const conn = this.conn;
    const hub = this.services.hubSettings(conn.hub);
    const event = message ? userEvent(name, message.dataType, message.data) : userEvent(name, 'text', Buffer.alloc(0));
    const result = await this.services.dispatcher.dispatch(hub, conn.eventConnection(), event, conn.takeCeId());
    const outcome = mapUserEventReply(result);
    if (!outcome.ok) {
      this.services.log(`invoke ${logValue(name)} hub=${conn.hub} id=${conn.connectionId} failed: ${outcome.reason}`);
      return outcome;
    }
    if (outcome.state !== undefined && !conn.ended) conn.state = outcome.state;
    return { ok: true, message: outcome.message };
  }

  private succeed(ackId: number | undefined): void {
    if (ackId === undefined) return;
    const seen = (this.conn.processedAckIds ??= new Set());
    seen.add(ackId);
    // Bounded memory for long-lived connections: forget the oldest ids (a retry comes right after a failure).
    if (seen.size > MAX_REMEMBERED_ACK_IDS) seen.delete(seen.values().next().value!);
    this.ack(ackId);
  }

  private forbid(ackId: number | undefined, message: string): void {
    if (ackId !== undefined) this.ack(ackId, { name: 'Forbidden', message });
  }

  private ack(ackId: number, error?: { name: AckErrorName; message: string }): void {
    this.conn.transport?.send(encodeAck(ackId, error), false);
  }
}
