import { accessKeyHmac } from '../auth/hmac-keys';

/**
 * The `ce-signature` header the service puts on every upstream request (docs/protocol/cloud-events.md §4):
 * for each access key, primary first, `sha256=` and the lower-case hex HMAC-SHA256 of the connection id
 * under that key; entries joined by `,` so a receiver keeps verifying while a key is rotated.
 *
 * A new connection signs its id twice within one handshake: for the blocking `connect` event (before the
 * connection exists) and for `connected` right after. Recent signatures are remembered per connection id
 * and key list (the list object: a key regeneration swaps it, so a stale signature is never reused); the
 * memory is bounded and simply starts over when full.
 */
const MAX_REMEMBERED = 1024;
const remembered = new Map<string, { readonly keys: readonly string[]; readonly header: string }>();

export function ceSignature(connectionId: string, accessKeys: readonly string[]): string {
  const hit = remembered.get(connectionId);
  if (hit !== undefined && hit.keys === accessKeys) return hit.header;
  let header = '';
  for (const key of accessKeys) {
    if (header !== '') header += ',';
    header += `sha256=${accessKeyHmac(key, connectionId).toString('hex')}`;
  }
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(connectionId, { keys: accessKeys, header });
  return header;
}
