import { FilterSyntaxError } from './filter-error';
import type { FilterNode, FunctionName } from './filter-ast';

/**
 * Static types of the OData filter subset (docs/protocol/rest-api.md §4). `null` is the type of the literal `null`;
 * it is accepted wherever a string is (userId may be null at run time anyway).
 */
export type FilterType = 'string' | 'int' | 'bool' | 'null' | 'collection';

/** Argument types per function; `string` also admits `null`. `length` is special (string or collection). */
const SIGNATURES: Record<Exclude<FunctionName, 'length'>, { args: FilterType[]; optional?: FilterType; result: FilterType }> = {
  tolower: { args: ['string'], result: 'string' },
  toupper: { args: ['string'], result: 'string' },
  trim: { args: ['string'], result: 'string' },
  substring: { args: ['string', 'int'], optional: 'int', result: 'string' },
  concat: { args: ['string', 'string'], result: 'string' },
  indexof: { args: ['string', 'string'], result: 'int' },
  startswith: { args: ['string', 'string'], result: 'bool' },
  endswith: { args: ['string', 'string'], result: 'bool' },
  contains: { args: ['string', 'string'], result: 'bool' },
};

/** Throws FilterSyntaxError unless the whole filter is a well-typed boolean expression. */
export function checkFilter(root: FilterNode): void {
  const type = typeOf(root);
  if (type !== 'bool') {
    throw typeError(`the filter must be a condition (for example userId eq 'u1') but it is ${article(type)} value`, root);
  }
}

function typeOf(node: FilterNode): FilterType {
  switch (node.kind) {
    case 'literal':
      if (node.value === null) return 'null';
      if (typeof node.value === 'string') return 'string';
      if (typeof node.value === 'number') return 'int';
      return 'bool';
    case 'identifier':
      return node.name === 'groups' ? 'collection' : 'string';
    case 'call':
      return typeOfCall(node);
    case 'not': {
      const t = typeOf(node.operand);
      // `not` binds tighter than comparisons: `not length(userId) gt 5` negates length(userId) (docs' example).
      if (t !== 'bool') throw notBoolean(t);
      return 'bool';
    }
    case 'and':
    case 'or': {
      for (const side of [node.left, node.right]) {
        const t = typeOf(side);
        if (t !== 'bool') throw typeError(`'${node.kind}' needs conditions on both sides but one side is ${article(t)} value`, node);
      }
      return 'bool';
    }
    case 'comparison': {
      const l = typeOf(node.left);
      const r = typeOf(node.right);
      if (l === 'collection' || r === 'collection') {
        throw typeError(`'${node.op}' cannot compare a collection; use 'x in groups' or length(groups)`, node);
      }
      if (node.op === 'eq' || node.op === 'ne') {
        if (l !== r && l !== 'null' && r !== 'null') throw typeError(`'${node.op}' compares ${article(l)} with ${article(r)} value`, node);
        return 'bool';
      }
      if (l === 'null' || r === 'null') throw typeError(`null can only be compared with 'eq' or 'ne', not '${node.op}'`, node);
      if (l !== r || l === 'bool') throw typeError(`'${node.op}' needs two integers or two strings but got ${article(l)} and ${article(r)} value`, node);
      return 'bool';
    }
    case 'inList': {
      const l = typeOf(node.left);
      if (l === 'collection') throw typeError(`the left side of 'in' must be a single value, not a collection`, node);
      for (const item of node.items) {
        if (item.kind !== 'literal') {
          const hint = item.kind === 'identifier' && item.name === 'groups' ? " (write 'x in groups' without parentheses)" : '';
          throw typeError(`the list after 'in' may contain only literals${hint}`, item);
        }
        const t = typeOf(item);
        if (t !== 'null' && l !== 'null' && t !== l) throw typeError(`the list after 'in' mixes ${article(l)} with ${article(t)} value`, item);
      }
      return 'bool';
    }
    case 'inCollection': {
      const c = typeOf(node.collection);
      if (c !== 'collection') throw typeError(`the right side of 'in' must be groups or a parenthesised list, but it is ${article(c)} value`, node.collection);
      const l = typeOf(node.left);
      if (l !== 'string' && l !== 'null') throw typeError(`'in groups' needs a string on the left but got ${article(l)} value`, node);
      return 'bool';
    }
  }
}

function typeOfCall(node: Extract<FilterNode, { kind: 'call' }>): FilterType {
  const argTypes = node.args.map(typeOf);
  if (node.name === 'length') {
    const t = argTypes[0];
    if (argTypes.length !== 1) throw typeError(`length() takes 1 argument but got ${argTypes.length}`, node);
    if (t !== 'string' && t !== 'null' && t !== 'collection') throw typeError(`length() needs a string or groups but got ${article(t!)} value`, node);
    return 'int';
  }
  const signature = SIGNATURES[node.name];
  const min = signature.args.length;
  const max = min + (signature.optional ? 1 : 0);
  if (argTypes.length < min || argTypes.length > max) {
    const expected = min === max ? `${min}` : `${min} or ${max}`;
    throw typeError(`${node.name}() takes ${expected} argument${max === 1 ? '' : 's'} but got ${argTypes.length}`, node);
  }
  argTypes.forEach((t, i) => {
    const want = signature.args[i] ?? signature.optional!;
    const ok = t === want || (want === 'string' && t === 'null');
    if (!ok) throw typeError(`argument ${i + 1} of ${node.name}() must be ${article(want)} value but is ${article(t)} value`, node.args[i]!);
  });
  return signature.result;
}

function article(t: FilterType): string {
  switch (t) {
    case 'int':
      return 'an integer';
    case 'bool':
      return 'a boolean';
    case 'null':
      return 'a null';
    case 'collection':
      return 'a collection';
    default:
      return 'a string';
  }
}

/** Our own wording (the service's type errors are not all documented), with the 0-based position. */
function typeError(message: string, at: FilterNode): FilterSyntaxError {
  return new FilterSyntaxError(`${message} at position ${at.pos - 1}.`);
}

/** The documented type error for an operand of `not` that is not a condition ("Type 'null', expect 'bool'."). */
function notBoolean(actual: FilterType): FilterSyntaxError {
  return new FilterSyntaxError(`Type '${actual}', expect 'bool'.`);
}
