import { BadRequestError } from '../http/errors';

/**
 * CloudEvents attribute values in HTTP headers (CloudEvents HTTP binding 1.0.2 §3.1.3.2):
 * the sender percent-encodes the UTF-8 bytes of space, `"`, `%` and everything outside printable
 * ASCII, so `Дмитрий` travels as `%D0%94%D0%BC…`. The receiver first unquotes a double-quoted value
 * (older senders), then does one round of percent-decoding; byte sequences that are not UTF-8 (for
 * example the overlong `%C0%A0`) must be rejected. Characters that arrive unencoded are kept as they
 * are, so a value some host already decoded reads the same.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes one header value; a malformed value is a BadRequestError naming the header. */
export function decodeHeaderValue(header: string, value: string): string {
  const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? unquote(header, value) : value;
  if (!unquoted.includes('%')) return unquoted;
  let out = '';
  let i = 0;
  while (i < unquoted.length) {
    if (unquoted[i] !== '%') {
      const next = unquoted.indexOf('%', i);
      const end = next === -1 ? unquoted.length : next;
      out += unquoted.slice(i, end);
      i = end;
      continue;
    }
    // A run of %XX escapes is one UTF-8 byte sequence: a character's bytes may not be split.
    const bytes: number[] = [];
    while (i < unquoted.length && unquoted[i] === '%') {
      const hex = unquoted.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw malformed(header, `"%" at position ${i} is not followed by two hexadecimal digits`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    }
    try {
      out += utf8.decode(Uint8Array.from(bytes));
    } catch {
      throw malformed(header, 'its percent-encoded bytes are not UTF-8');
    }
  }
  return out;
}

/** RFC 7230 §3.2.6 quoted-string: drop the quotes, `\x` stands for `x`. */
function unquote(header: string, value: string): string {
  let out = '';
  for (let i = 1; i < value.length - 1; i++) {
    const c = value[i]!;
    if (c === '\\') {
      if (i + 1 >= value.length - 1) throw malformed(header, 'it ends with a lone backslash inside quotes');
      out += value[++i];
    } else if (c === '"') {
      throw malformed(header, 'it has an unescaped double quote inside quotes');
    } else {
      out += c;
    }
  }
  return out;
}

function malformed(header: string, why: string): BadRequestError {
  return new BadRequestError(`${header} is not a valid CloudEvents header value: ${why}`, 'InvalidHeaderEncoding');
}
