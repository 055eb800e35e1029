/**
 * Standard base64 with padding and nothing else (docs/protocol/client-protocols.md §3.3). Checked before decoding
 * because Buffer.from(…, 'base64') silently skips characters it does not know.
 */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isStrictBase64(value: string): boolean {
  return STRICT_BASE64.test(value);
}
