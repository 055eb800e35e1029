/**
 * Canonical base64url (RFC 4648 §3.5, §5; RFC 7515 §2: no padding). A final group of 2 or 3 characters
 * carries 4 or 2 unused bits; decoders ignore them, so without this check one signature has four (or two)
 * accepted spellings and a token can be altered without changing what it means. Pure.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CHARSET = /^[A-Za-z0-9_-]*$/;

export function isCanonicalBase64url(segment: string): boolean {
  if (!CHARSET.test(segment)) return false;
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false; // 6 bits cannot make a byte
  const last = ALPHABET.indexOf(segment[segment.length - 1]!);
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}
