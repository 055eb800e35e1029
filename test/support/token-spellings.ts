/**
 * The other spellings of a JWT whose last segment ends in a partial base64url group: the same bytes
 * with different unused trailing bits (red-team item 7). For a 32-byte HS256 signature (43 characters)
 * the last character has 2 unused bits, so 3 variants.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function alternateSpellings(token: string): string[] {
  const unusedBits = [0, 0, 4, 2][token.slice(token.lastIndexOf('.') + 1).length % 4]!;
  const last = ALPHABET.indexOf(token[token.length - 1]!);
  const base = last & ~((1 << unusedBits) - 1);
  const out: string[] = [];
  for (let low = 0; low < 1 << unusedBits; low++) {
    const variant = token.slice(0, -1) + ALPHABET[base | low];
    if (variant !== token) out.push(variant);
  }
  return out;
}
