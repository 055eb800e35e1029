import { jsonHubProtocol, frameRecord, RECORD_SEPARATOR } from './json-hub-protocol';
import { messagePackHubProtocol } from './msgpack-hub-protocol';
import type { HubProtocol } from './hub-messages';

/**
 * The handshake (docs/protocol/signalr.md §3.0): the client's first record is
 * `{"protocol":"json"|"messagepack","version":1}` + 0x1E in JSON whatever protocol it names; the
 * service answers `{}` (accepted) or `{"error":"…"}` and then closes. Bytes after the separator are
 * already hub messages.
 */

export type HandshakeResult = { kind: 'incomplete' } | { kind: 'accepted'; protocol: HubProtocol; rest: Uint8Array } | { kind: 'refused'; error: string };

const MAX_HANDSHAKE_BYTES = 4096;

export function readHandshake(buffered: Uint8Array, transferFormat: 'Text' | 'Binary'): HandshakeResult {
  const end = buffered.indexOf(RECORD_SEPARATOR);
  if (end < 0) return buffered.length > MAX_HANDSHAKE_BYTES ? { kind: 'refused', error: 'Handshake request is too large.' } : { kind: 'incomplete' };
  let request: unknown;
  try {
    request = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffered.subarray(0, end)));
  } catch {
    return { kind: 'refused', error: 'Handshake request is not valid JSON.' };
  }
  if (request === null || typeof request !== 'object') return { kind: 'refused', error: 'Handshake request must be a JSON object.' };
  const { protocol, version } = request as { protocol?: unknown; version?: unknown };
  if (typeof protocol !== 'string' || typeof version !== 'number')
    return { kind: 'refused', error: 'Handshake request needs "protocol" (a string) and "version" (a number).' };
  const chosen = protocol === 'json' ? jsonHubProtocol : protocol === 'messagepack' ? messagePackHubProtocol : undefined;
  if (!chosen) return { kind: 'refused', error: `The protocol '${protocol}' is not supported.` };
  if (version < 1 || !Number.isInteger(version))
    return { kind: 'refused', error: `The server does not support version ${version} of the '${protocol}' protocol.` };
  if (chosen.transferFormat === 'Binary' && transferFormat === 'Text')
    return { kind: 'refused', error: `Cannot use the '${protocol}' protocol on the current transport: it needs binary frames.` };
  return { kind: 'accepted', protocol: chosen, rest: buffered.subarray(end + 1) };
}

export function handshakeResponse(error?: string): Uint8Array {
  return frameRecord(error === undefined ? {} : { error });
}
