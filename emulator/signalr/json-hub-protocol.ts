import { checkMessage, HubProtocolError, type HubMessage, type HubProtocol } from './hub-messages';

/**
 * The JSON hub protocol: each message is a JSON object followed by the record separator 0x1E
 * (docs/protocol/signalr.md §3.1). The handshake uses the same framing.
 */

export const RECORD_SEPARATOR = 0x1e;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Splits text on 0x1E; every record must be complete (a transport payload never splits one). */
export function splitRecords(data: Uint8Array): string[] {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    throw new HubProtocolError('the payload is not valid UTF-8');
  }
  if (text.length === 0) return [];
  if (text.charCodeAt(text.length - 1) !== RECORD_SEPARATOR) throw new HubProtocolError('incomplete message: missing the record separator (0x1E)');
  return text.slice(0, -1).split('\u001e');
}

export function frameRecord(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\u001e`);
}

export const jsonHubProtocol: HubProtocol = {
  name: 'json',
  version: 1,
  transferFormat: 'Text',
  parse(data) {
    return splitRecords(data).map((record) => {
      let value: unknown;
      try {
        value = JSON.parse(record);
      } catch {
        throw new HubProtocolError('a message is not valid JSON');
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HubProtocolError('a message must be a JSON object');
      const o = value as Record<string, unknown>;
      if (typeof o['type'] !== 'number') throw new HubProtocolError('a message needs a numeric "type"');
      const m = { ...o } as Record<string, unknown>;
      // A completion's `result` may legitimately be null: remember that it was present.
      if (o['type'] === 3 && 'result' in o) m['hasResult'] = true;
      return checkMessage(m as unknown as HubMessage);
    });
  },
  write(message) {
    const out: Record<string, unknown> = { ...message };
    delete out['hasResult'];
    if (message.type === 3 && message.error === undefined && message.hasResult) out['result'] = message.result ?? null;
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return frameRecord(out);
  },
};
