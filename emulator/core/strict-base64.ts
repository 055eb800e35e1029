/**
 * The JSON subprotocols carry binary data as standard base64 with `=` padding
 * (docs/protocol/client-protocols.md §3.3). Node's decoder skips characters it does not know, so a
 * frame is checked before decoding: a body that is not exactly base64 is refused, not half-read.
 */
export function isStrictBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  for (let i = 0; i < text.length - padding; i++) {
    if (!isBase64Digit(text.charCodeAt(i))) return false;
  }
  return true;
}

function isBase64Digit(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || // +
    c === 47 // /
  );
}
