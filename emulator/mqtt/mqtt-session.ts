import { generate, type IPublishPacket } from 'mqtt-packet';
import type { Connection, MqttLink } from '../registry/connection';
import type { EncodedMessage } from '../registry/encoded-message';
import { publishPropertiesFor } from './message-conversion';
import type { MqttVersion } from './reason-codes';
import { SERVER_MESSAGES_TOPIC } from './topic-rules';

/**
 * One MQTT session = one Web PubSub connection ("REST API in the context of MQTT": the client id is the
 * connection id). It holds the subscription options, the QoS 1 messages not yet acknowledged and those
 * queued while no network connection is attached, and outlives a network connection for the session
 * expiry (at most 30 s, "MQTT support status").
 */

export interface Subscription {
  readonly qos: 0 | 1;
  /** MQTT 5.0 No Local: the client does not get its own publishes on this topic. */
  readonly noLocal: boolean;
  readonly subscriptionId?: number;
}

/** A QoS 1 publish not sent yet, with when its MQTT 5.0 Message Expiry Interval ends. */
interface Pending {
  readonly packet: IPublishPacket;
  readonly expiresAt: number | undefined;
}

/** What the session writes to: the attached network connection. */
export interface PacketWriter {
  readonly physicalConnectionId: string;
  write(bytes: Buffer): void;
}

/** Unacknowledged plus queued QoS 1 messages per session; beyond it the oldest queued are dropped. */
export const MAX_PENDING_QOS1 = 1000;
/** The largest Receive Maximum, and the value when the client sends none (MQTT 5.0 section 3.1.2.11.3). */
export const MAX_RECEIVE_MAXIMUM = 65535;

export class MqttSession implements MqttLink {
  readonly subscriptions = new Map<string, Subscription>();
  /** Sent QoS 1 publishes by packet id, until PUBACK. */
  private readonly inflight = new Map<number, Pending>();
  /**
   * QoS 1 publishes not sent yet: they arrived while no network connection was attached, or while the
   * client's Receive Maximum was reached. Sent in order as the window opens.
   */
  private queued: Pending[] = [];
  /**
   * MQTT 5.0 Receive Maximum (section 3.1.2.11.3): QoS 1 publishes the client accepts unacknowledged at
   * once ("flow control", MQTT support status). Set at CONNECT; 3.1.1 clients have no such limit.
   */
  receiveMaximum = MAX_RECEIVE_MAXIMUM;
  private nextPacketId = 1;
  private writer: PacketWriter | null = null;
  /** How long the session outlives its network connection (ms); set at CONNECT, may change at DISCONNECT (5.0). */
  keepMs = 0;
  expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly conn: Connection,
    public version: MqttVersion,
    readonly sessionId: string,
  ) {}

  get physicalConnectionId(): string | undefined {
    return this.writer?.physicalConnectionId;
  }

  get attached(): boolean {
    return this.writer !== null;
  }

  attach(writer: PacketWriter, version: MqttVersion): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.writer = writer;
    this.version = version;
  }

  /** Resends unacknowledged publishes (DUP set, MQTT section 4.4) and sends what was queued. Call after CONNACK. */
  resume(): void {
    for (const [id, { packet, expiresAt }] of this.inflight) {
      // Expired while unacknowledged: dropped rather than resent, as brokers such as Mosquitto do.
      const resend = { ...packet, dup: true, ...(packet.properties ? { properties: { ...packet.properties } } : {}) };
      if (withRemainingExpiry(resend, expiresAt)) this.write(resend);
      else this.inflight.delete(id);
    }
    this.drain();
  }

  detach(writer: PacketWriter): void {
    if (this.writer === writer) this.writer = null;
  }

  acknowledge(packetId: number): void {
    if (this.inflight.delete(packetId)) this.drain();
  }

  deliver(encoded: EncodedMessage): void {
    const source = encoded.source;
    let topic: string;
    let qos: 0 | 1 = encoded.qos;
    let subscriptionId: number | undefined;
    if (source.from === 'group') {
      topic = source.group;
      // A group joined through REST or at connect counts as a QoS 1 subscription.
      const sub = this.subscriptions.get(topic);
      if (sub) {
        qos = Math.min(qos, sub.qos) as 0 | 1;
        subscriptionId = sub.subscriptionId;
      }
    } else topic = SERVER_MESSAGES_TOPIC;
    const expiresAt = encoded.expiresAt;
    if (qos === 0) {
      if (!this.writer) return;
      // QoS 0 without a subscription identifier or expiry: the same bytes for every receiver of this version.
      if (subscriptionId === undefined && expiresAt === undefined) {
        this.writer.write(
          encoded.encoding(`mqtt${this.version}:${topic}`, () => generate(this.publishPacket(encoded, topic, 0), { protocolVersion: this.version })),
        );
        return;
      }
      const packet = this.publishPacket(encoded, topic, 0, undefined, subscriptionId);
      if (withRemainingExpiry(packet, expiresAt)) this.write(packet);
      return;
    }
    this.send({ packet: this.publishPacket(encoded, topic, 1, undefined, subscriptionId), expiresAt });
  }

  private send(pending: Pending): void {
    // Behind what is already waiting, so the client gets publishes in order.
    if (!this.writer || this.queued.length > 0 || this.inflight.size >= this.receiveMaximum) {
      if (this.queued.length >= MAX_PENDING_QOS1) this.queued.shift();
      this.queued.push(pending);
      return;
    }
    this.transmit(pending);
  }

  /** Sends queued publishes while a network connection is attached and the client's window has room. */
  private drain(): void {
    let taken = 0;
    while (this.writer && taken < this.queued.length && this.inflight.size < this.receiveMaximum) this.transmit(this.queued[taken++]!);
    if (taken > 0) this.queued = this.queued.slice(taken);
  }

  /** Sends one publish unless its expiry has passed (then it is dropped, MQTT 5.0 section 3.3.2.3.3). */
  private transmit({ packet, expiresAt }: Pending): void {
    if (!withRemainingExpiry(packet, expiresAt)) return;
    if (this.inflight.size >= MAX_PENDING_QOS1) {
      // A client that never acknowledges does not grow the session without bound: the oldest is forgotten.
      this.inflight.delete(this.inflight.keys().next().value!);
    }
    const id = this.takePacketId();
    const withId = { ...packet, messageId: id };
    this.inflight.set(id, { packet: withId, expiresAt });
    this.write(withId);
  }

  private write(packet: IPublishPacket): void {
    this.writer?.write(generate(packet, { protocolVersion: this.version }));
  }

  private publishPacket(encoded: EncodedMessage, topic: string, qos: 0 | 1, messageId?: number, subscriptionId?: number): IPublishPacket {
    const packet: IPublishPacket = { cmd: 'publish', topic, payload: encoded.message.data, qos, dup: false, retain: false };
    if (messageId !== undefined) packet.messageId = messageId;
    if (this.version === 5) {
      packet.properties = publishPropertiesFor(encoded.message.dataType);
      if (subscriptionId !== undefined) packet.properties.subscriptionIdentifier = subscriptionId;
    }
    return packet;
  }

  private takePacketId(): number {
    // Packet ids are 1..65535 and must not collide with one still in flight.
    for (let i = 0; i < 65535; i++) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
    throw new Error('no free MQTT packet id');
  }
}

/**
 * Sets the Message Expiry Interval a receiver gets: what is left of the sender's, in whole seconds
 * (MQTT 5.0 section 3.3.2.3.3). False when it has run out and the message must not be sent.
 */
function withRemainingExpiry(packet: IPublishPacket, expiresAt: number | undefined): boolean {
  if (expiresAt === undefined) return true;
  const left = Math.ceil((expiresAt - Date.now()) / 1000);
  if (left <= 0) return false;
  if (packet.properties) packet.properties.messageExpiryInterval = left;
  return true;
}
