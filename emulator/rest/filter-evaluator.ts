import type { ConnectionFilter, FilterTarget } from '../core/types';
import type { FilterNode } from './filter-ast';

/**
 * Turns a type-checked filter tree into a closure, once per request; the closure then runs per connection.
 *
 * Null semantics follow OData (docs/protocol/rest-api.md §4 leaves them open): a function applied to null (a connection
 * without userId) yields null; `eq`/`ne` treat null as a value (`userId eq null` is true for anonymous
 * connections); `gt`/`ge`/`lt`/`le` with a null operand are false; `and`/`or`/`not` use three-valued logic
 * (null and false = false, null or true = true, not null = null); a filter that ends up null selects nothing.
 * So `not startswith(userId, 'a')` does not select anonymous connections.
 */

type Value = string | number | boolean | null | ReadonlySet<string>;
type Compiled = (target: FilterTarget) => Value;

export function compileFilterTree(root: FilterNode): ConnectionFilter {
  const run = compileNode(root);
  return (target) => run(target) === true;
}

function compileNode(node: FilterNode): Compiled {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'identifier':
      return IDENTIFIER_READERS[node.name];
    case 'not': {
      const operand = compileNode(node.operand);
      return (t) => {
        const v = operand(t);
        return v === null ? null : !v;
      };
    }
    case 'and': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (t) => {
        const l = left(t);
        if (l === false) return false;
        const r = right(t);
        if (r === false) return false;
        return l === null || r === null ? null : true;
      };
    }
    case 'or': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (t) => {
        const l = left(t);
        if (l === true) return true;
        const r = right(t);
        if (r === true) return true;
        return l === null || r === null ? null : false;
      };
    }
    case 'comparison': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      const compare = COMPARATORS[node.op];
      return (t) => compare(left(t), right(t));
    }
    case 'inList': {
      const left = compileNode(node.left);
      // Items are literals (the type checker guarantees it), so the set is built once.
      const items = new Set(node.items.map((item) => (item.kind === 'literal' ? item.value : undefined)));
      return (t) => items.has(left(t) as string | number | boolean | null);
    }
    case 'inCollection': {
      const left = compileNode(node.left);
      const collection = compileNode(node.collection);
      return (t) => {
        const v = left(t);
        return v !== null && (collection(t) as ReadonlySet<string>).has(v as string);
      };
    }
    case 'call':
      return compileCall(node);
  }
}

const IDENTIFIER_READERS: Record<Extract<FilterNode, { kind: 'identifier' }>['name'], Compiled> = {
  userId: (t) => t.userId,
  connectionId: (t) => t.connectionId,
  protocol: (t) => t.protocol,
  groups: (t) => t.groups,
};

const COMPARATORS: Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', (a: Value, b: Value) => boolean> = {
  // Case-sensitive ordinal comparison (docs/protocol/rest-api.md §4: use tolower/toupper for case-insensitive matches).
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a !== null && b !== null && (a as number | string) > (b as number | string),
  ge: (a, b) => a !== null && b !== null && (a as number | string) >= (b as number | string),
  lt: (a, b) => a !== null && b !== null && (a as number | string) < (b as number | string),
  le: (a, b) => a !== null && b !== null && (a as number | string) <= (b as number | string),
};

function compileCall(node: Extract<FilterNode, { kind: 'call' }>): Compiled {
  const args = node.args.map(compileNode);
  const fn = FUNCTIONS[node.name];
  return (t) => {
    const values = args.map((a) => a(t));
    // OData: a null argument makes the function result null.
    if (values.some((v) => v === null)) return null;
    return fn(values as Exclude<Value, null>[]);
  };
}

type Fn = (args: Exclude<Value, null>[]) => Value;
const str = (v: unknown): string => v as string;
const int = (v: unknown): number => v as number;

const FUNCTIONS: Record<Extract<FilterNode, { kind: 'call' }>['name'], Fn> = {
  tolower: ([s]) => str(s).toLowerCase(),
  toupper: ([s]) => str(s).toUpperCase(),
  trim: ([s]) => str(s).trim(),
  // Zero-based start; a negative start or length is clamped to 0 and ranges past the end are cut off.
  substring: ([s, start, length]) => {
    const from = Math.max(0, int(start));
    return length === undefined ? str(s).slice(from) : str(s).slice(from, from + Math.max(0, int(length)));
  },
  concat: ([a, b]) => str(a) + str(b),
  indexof: ([a, b]) => str(a).indexOf(str(b)),
  length: ([v]) => (typeof v === 'string' ? v.length : (v as ReadonlySet<string>).size),
  startswith: ([a, b]) => str(a).startsWith(str(b)),
  endswith: ([a, b]) => str(a).endsWith(str(b)),
  contains: ([a, b]) => str(a).includes(str(b)),
};
