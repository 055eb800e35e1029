import { BadRequestError, UnsupportedMediaTypeError } from '../core/service-errors';
import type { DataType, OutboundMessage } from '../core/types';

/**
 * The body of a send operation → OutboundMessage (docs/protocol/rest-api.md §3). The media type decides the data type;
 * parameters such as `; charset=utf-8` are accepted and text is always read as UTF-8. JSON must parse,
 * and JSON/text must be valid UTF-8, because JSON clients receive them as JSON values/strings.
 */

const MEDIA_TYPES: Readonly<Record<string, DataType>> = {
  'application/json': 'json',
  'text/plain': 'text',
  'application/octet-stream': 'binary',
};

export function toOutboundMessage(contentType: string | undefined, body: Buffer): OutboundMessage {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const dataType = MEDIA_TYPES[mediaType];
  if (!dataType) {
    const got = mediaType === '' ? 'no Content-Type' : `Content-Type '${mediaType.slice(0, 64)}'`;
    throw new UnsupportedMediaTypeError(`Unsupported ${got}; send application/json, text/plain or application/octet-stream.`);
  }
  if (dataType !== 'binary') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new BadRequestError(`The ${mediaType} body is not valid UTF-8.`);
    }
    if (dataType === 'json') {
      try {
        JSON.parse(text);
      } catch (e) {
        throw new BadRequestError(`The application/json body is not valid JSON: ${(e as Error).message}.`);
      }
    }
  }
  return { dataType, data: body };
}
