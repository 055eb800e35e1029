/**
 * CloudEvents HTTP binding 1.0.2 §3.1.3.2: in binary mode every `ce-*` header value is a string whose
 * characters outside printable ASCII (U+0021–U+007E), plus space, `"` and `%`, are percent-encoded as
 * their UTF-8 bytes. So a user id like `Дмитрий` or an event name like `café` travels as ASCII; sent raw,
 * Node refuses such a header (ERR_INVALID_CHAR) and a Latin-1 one would reach the app garbled. Pure.
 */

const HEX = '0123456789ABCDEF';

/** True for the bytes that pass unchanged: printable ASCII except space, `"` and `%`. */
function isPlain(byte: number): boolean {
  return byte >= 0x21 && byte <= 0x7e && byte !== 0x22 && byte !== 0x25;
}

export function percentEncodeHeaderValue(value: string): string {
  // Fast path: most values (ids, times, hub names) need nothing.
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    if (!isPlain(value.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return value;
  // Buffer.from replaces a lone surrogate with U+FFFD (encodeURIComponent would throw on it).
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (const byte of bytes) out += isPlain(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}
