import { FilterSyntaxError } from './filter-error';

/**
 * Splits an OData filter (docs/protocol/rest-api.md §4) into tokens. `pos` is the 1-based character where a token
 * starts; `end` is the 0-based offset just past it, which is where the service's OData parser reports
 * a syntax error ("Syntax error at position 14 in 'invalid filter'": just past `filter`).
 */

export type FilterToken =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number; readonly end: number }
  | { readonly kind: 'int'; readonly value: number; readonly text: string; readonly pos: number; readonly end: number }
  /** A name: identifier, function, operator or keyword. `lower` is used for case-insensitive matching. */
  | { readonly kind: 'word'; readonly text: string; readonly lower: string; readonly pos: number; readonly end: number }
  | { readonly kind: '(' | ')' | ','; readonly pos: number; readonly end: number }
  | { readonly kind: 'end'; readonly pos: number; readonly end: number };

export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, pos, end: i + 1 });
      i++;
    } else if (c === "'") {
      // '' inside a literal is an escaped quote (docs/protocol/rest-api.md §4: 'user''1').
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterSyntaxError(`There is an unterminated string literal at position ${text.length} in '${text}'.`);
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
      tokens.push({ kind: 'string', value, pos, end: j });
      i = j;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^[-+]?[0-9]+/.exec(text.slice(i))!;
      const literal = m[0];
      const value = Number(literal);
      if (!Number.isSafeInteger(value)) throw new FilterSyntaxError(`The integer literal '${literal}' at position ${i} in '${text}' is out of range.`);
      if (/^[A-Za-z_.]/.test(text[i + literal.length] ?? '')) {
        throw new FilterSyntaxError(`Syntax error at position ${i + literal.length + 1} in '${text}': only integer literals are supported.`);
      }
      tokens.push({ kind: 'int', value: value === 0 ? 0 : value, text: literal, pos, end: i + literal.length });
      i += literal.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], lower: m[0].toLowerCase(), pos, end: i + m[0].length });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`Syntax error: character '${c}' is not valid at position ${i} in '${text}'.`);
    }
  }
  tokens.push({ kind: 'end', pos: text.length + 1, end: text.length });
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
