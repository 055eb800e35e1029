import type { DataType, OutboundMessage } from '../core/types';
import type { MqttVersion } from './reason-codes';

/**
 * Messages crossing between MQTT and the Web PubSub protocols ("MQTT cross-protocol communication"):
 * MQTT 5.0 content type application/json = json, text/plain = text, application/octet-stream = binary,
 * application/x-protobuf = protobuf (binary here: the emulator has no protobuf clients); an absent
 * content type and every MQTT 3.1.1 message = binary. Text and JSON travel as UTF-8; binary bytes as
 * they are. Pure.
 */

const CONTENT_TYPE_OF: Record<DataType, string> = {
  json: 'application/json',
  text: 'text/plain',
  binary: 'application/octet-stream',
};

export type InboundConversion = { readonly ok: true; readonly message: OutboundMessage } | { readonly ok: false; readonly reason: string };

/** An MQTT PUBLISH payload → the message other clients receive. */
export function fromMqttPublish(payload: Buffer, version: MqttVersion, contentType: string | undefined): InboundConversion {
  const dataType = version === 5 ? dataTypeOfContentType(contentType) : 'binary';
  if (dataType === 'json') {
    try {
      JSON.parse(payload.toString('utf8'));
    } catch {
      return { ok: false, reason: 'the payload is not valid JSON but the content type is application/json' };
    }
  }
  return { ok: true, message: { dataType, data: payload } };
}

/** The media type only: parameters (`; charset=utf-8`) and case do not matter. */
export function dataTypeOfContentType(contentType: string | undefined): DataType {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'text/plain') return 'text';
  return 'binary';
}

/** The MQTT 5.0 properties that tell a receiver the data type (3.1.1 has none). */
export function publishPropertiesFor(dataType: DataType): { contentType: string; payloadFormatIndicator: boolean } {
  // MQTT 5.0 section 3.3.2.3.2: the payload format indicator says "UTF-8 text" for text and JSON.
  return { contentType: CONTENT_TYPE_OF[dataType], payloadFormatIndicator: dataType !== 'binary' };
}
