import type { OutboundMessage } from '../core/types';
import { encodeMessageEnvelope, type MessageSource } from '../client/json-protocol';

/**
 * One message on its way to many receivers: each encoding (JSON envelope, simple frame) is built at most
 * once and shared by every receiver of that kind, so a fan-out to N clients serialises once, not N times.
 */
export class EncodedMessage {
  private envelopeText: string | undefined;
  private envelopeBuffer: Buffer | undefined;

  constructor(
    readonly message: OutboundMessage,
    readonly source: MessageSource,
    /** A ready envelope (group-stream fragments carry a `stream` field the generic encoder does not write). */
    envelope?: string,
  ) {
    this.envelopeText = envelope;
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
