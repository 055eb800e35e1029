import { BadRequestError } from '../../shared/http/errors';

/**
 * Splits an OData filter (docs/protocol/rest-api.md §4) into tokens. Positions are 1-based characters so that
 * error messages can point at the offending spot.
 */

export type FilterToken =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'int'; readonly value: number; readonly text: string; readonly pos: number }
  /** A name: identifier, function, operator or keyword. `lower` is used for case-insensitive matching. */
  | { readonly kind: 'word'; readonly text: string; readonly lower: string; readonly pos: number }
  | { readonly kind: '(' | ')' | ','; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, pos });
      i++;
    } else if (c === "'") {
      // '' inside a literal is an escaped quote (docs/protocol/rest-api.md §4: 'user''1').
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new BadRequestError(`Invalid filter: unterminated string literal starting at position ${pos}.`, 'InvalidFilter');
        const d = text[j]!;
        if (d === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          j++;
          break;
        }
        value += d;
        j++;
      }
      tokens.push({ kind: 'string', value, pos });
      i = j;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^[-+]?[0-9]+/.exec(text.slice(i))!;
      const literal = m[0];
      const value = Number(literal);
      if (!Number.isSafeInteger(value)) throw new BadRequestError(`Invalid filter: integer literal '${literal}' at position ${pos} is out of range.`, 'InvalidFilter');
      if (/^[A-Za-z_.]/.test(text[i + literal.length] ?? '')) {
        throw new BadRequestError(`Invalid filter: only integer literals are supported; '${literal}${text[i + literal.length]}' at position ${pos} is not one.`, 'InvalidFilter');
      }
      tokens.push({ kind: 'int', value: value === 0 ? 0 : value, text: literal, pos });
      i += literal.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], lower: m[0].toLowerCase(), pos });
      i += m[0].length;
    } else {
      throw new BadRequestError(`Invalid filter: unexpected character '${c}' at position ${pos}.`, 'InvalidFilter');
    }
  }
  tokens.push({ kind: 'end', pos: text.length + 1 });
  return tokens;
}

/** How a token is named in error messages. */
export function describeToken(token: FilterToken): string {
  switch (token.kind) {
    case 'string':
      return `'${token.value.replace(/'/g, "''")}'`;
    case 'int':
      return token.text;
    case 'word':
      return `'${token.text}'`;
    case 'end':
      return 'the end of the filter';
    default:
      return `'${token.kind}'`;
  }
}
