import vectors from './service-rules.json';

/** The public-doc test vectors both sides are checked against (see `source` of each section). */
export const serviceRuleVectors = vectors;

/** A string of `length` characters that otherwise satisfies the rule (`a` repeated after a letter). */
export function nameOfLength(length: number): string {
  return length === 0 ? '' : `A${'a'.repeat(length - 1)}`;
}
