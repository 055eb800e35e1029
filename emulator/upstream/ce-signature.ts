import { accessKeyHmac } from '../auth/hmac-keys';

/**
 * The `ce-signature` header the service puts on every upstream request (docs/protocol/cloud-events.md §4):
 * for each access key, primary first, `sha256=` and the lower-case hex HMAC-SHA256 of the connection id
 * under that key; entries joined by `,` so a receiver keeps verifying while a key is rotated.
 */
export function ceSignature(connectionId: string, accessKeys: readonly string[]): string {
  let header = '';
  for (const key of accessKeys) {
    if (header !== '') header += ',';
    header += `sha256=${accessKeyHmac(key, connectionId).toString('hex')}`;
  }
  return header;
}
