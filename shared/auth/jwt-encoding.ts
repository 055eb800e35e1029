/**
 * Compact JWS serialization with canonical base64url segments (RFC 7515 §2, §7.1; RFC 4648 §3.5). jose
 * decodes a segment whose last character has non-zero unused bits, so one HS256 signature had four
 * accepted spellings; the verifier refuses those before jose sees the token. Pure.
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

/** Three canonical base64url segments separated by dots. */
export function isCanonicalCompactJws(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every(isCanonicalBase64url);
}
