import fc from 'fast-check';

/**
 * Generators for hostile input: arbitrary text with the characters that break parsers (controls, CR/LF,
 * lone surrogates, prototype keys), and mutations of valid examples (flip, truncate, duplicate, retype).
 */

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Strings biased towards trouble: controls, CR/LF, quotes, unicode, huge and prototype keys. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.string({ maxLength: 20, unit: 'binary' }),
  fc.constantFrom(...PROTO_KEYS, '', ' ', '\r\n', 'a\r\nInjected: 1', '\u0000', '\u2028', '\ud800', '"', "'", '\\', '%', '%0d%0a', '💥', '-1', '1e309', 'null'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON-ish value, including prototype keys and deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, -0, [], {}) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((d) => deepArray(d)) },
);

export function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** A text mutation: flip, delete, insert or duplicate a slice, or truncate. */
export function textMutation(): fc.Arbitrary<(s: string) => string> {
  return fc.oneof(
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 0xffff })).map(([at, code]) => (s: string) => {
      if (s.length === 0) return String.fromCharCode(code);
      const i = at % s.length;
      return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (code & 0xff || 1)) + s.slice(i + 1);
    }),
    fc.nat().map((at) => (s: string) => s.slice(0, s.length === 0 ? 0 : at % s.length)),
    fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([at, n]) => (s: string) => {
      const i = s.length === 0 ? 0 : at % s.length;
      return s.slice(0, i) + s.slice(i, i + n) + s.slice(i);
    }),
    fc.tuple(fc.nat(), nastyString).map(([at, ins]) => (s: string) => {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      return s.slice(0, i) + ins + s.slice(i);
    }),
    fc.tuple(fc.nat(), fc.nat({ max: 10 })).map(([at, n]) => (s: string) => {
      const i = s.length === 0 ? 0 : at % s.length;
      return s.slice(0, i) + s.slice(i + n);
    }),
  );
}

/** Mutates an object: drop, retype, duplicate under another case, or add a prototype key. */
export function objectMutation(): fc.Arbitrary<(o: Record<string, unknown>) => Record<string, unknown>> {
  return fc.oneof(
    fc.nat().map((at) => (o: Record<string, unknown>) => {
      const keys = Object.keys(o);
      if (keys.length === 0) return o;
      const copy = { ...o };
      delete copy[keys[at % keys.length]!];
      return copy;
    }),
    fc.tuple(fc.nat(), nastyValue).map(([at, v]) => (o: Record<string, unknown>) => {
      const keys = Object.keys(o);
      if (keys.length === 0) return o;
      return { ...o, [keys[at % keys.length]!]: v };
    }),
    fc.tuple(fc.constantFrom(...PROTO_KEYS), nastyValue).map(([k, v]) => (o: Record<string, unknown>) => {
      const copy = { ...o };
      Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
      return copy;
    }),
    fc.tuple(nastyString, nastyValue).map(([k, v]) => (o: Record<string, unknown>) => ({ ...o, [k]: v })),
  );
}

/** Applies up to `max` mutations in sequence. */
export function mutations<T>(one: fc.Arbitrary<(x: T) => T>, max = 3): fc.Arbitrary<(x: T) => T> {
  return fc.array(one, { minLength: 1, maxLength: max }).map((fs) => (x: T) => fs.reduce((acc, f) => f(acc), x));
}

/** JSON text of an object that may carry own `__proto__` keys (JSON.stringify drops none: keys are own). */
export function toJsonText(o: Record<string, unknown>): string {
  try {
    return JSON.stringify(o) ?? 'null';
  } catch {
    return '{}';
  }
}

/** Nothing may have leaked onto Object.prototype. */
export function assertNoPrototypePollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'isAdmin', 'x', 'a', '0']) {
    if (probe[k] !== undefined) throw new Error(`Object.prototype.${k} was polluted`);
  }
  if (Object.keys(Object.prototype).length > 0) throw new Error(`Object.prototype gained keys: ${Object.keys(Object.prototype).join(',')}`);
}
