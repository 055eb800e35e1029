import type { OutboundMessage } from '../core/types';
import { encodeMessageEnvelope, type MessageSource } from '../client/json-protocol';

/**
 * One message on its way to many receivers: each encoding (JSON envelope, simple frame) is built at most
 * once and shared by every receiver of that kind, so a fan-out to N clients serialises once, not N times.
 */
export class EncodedMessage {
  private envelopeText: string | undefined;
  private envelopeBuffer: Buffer | undefined;
  private encodings: Map<string, Buffer> | undefined;

  constructor(
    readonly message: OutboundMessage,
    readonly source: MessageSource,
    /** A ready envelope (group-stream fragments carry a `stream` field the generic encoder does not write). */
    envelope?: string,
    /** The QoS an MQTT receiver gets at most: the sender's for MQTT publishes, 1 for everything else ("REST API in the context of MQTT"). */
    readonly qos: 0 | 1 = 1,
    /** When an MQTT 5.0 publish's Message Expiry Interval ends (ms since the epoch); MQTT receivers only. */
    readonly expiresAt?: number,
  ) {
    this.envelopeText = envelope;
  }

  /** Another receiver encoding (MQTT packets by version and QoS), built once per key. */
  encoding(key: string, build: () => Buffer): Buffer {
    const map = (this.encodings ??= new Map());
    let b = map.get(key);
    if (b === undefined) map.set(key, (b = build()));
    return b;
  }

  /** For JSON subprotocol receivers (without `sequenceId`). */
  get envelope(): string {
    return (this.envelopeText ??= encodeMessageEnvelope(this.source, this.message));
  }

  /** The envelope as UTF-8 bytes, converted once for every non-reliable JSON receiver. */
  get envelopeBytes(): Buffer {
    return (this.envelopeBuffer ??= Buffer.from(this.envelope, 'utf8'));
  }

  /** docs/protocol/client-protocols.md §2: simple receivers get json/text as a text frame, binary as a binary frame. */
  get simpleIsBinary(): boolean {
    return this.message.dataType === 'binary';
  }
}
