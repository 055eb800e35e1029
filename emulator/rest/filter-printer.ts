import type { FilterNode } from './filter-ast';

/**
 * Prints a filter tree back to OData text, fully parenthesised so that printing and re-parsing is the
 * identity on meaning (used by the property tests and handy in diagnostics).
 */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'literal':
      if (typeof node.value === 'string') return `'${node.value.replace(/'/g, "''")}'`;
      return String(node.value);
    case 'identifier':
      return node.name;
    case 'call':
      return `${node.name}(${node.args.map(printFilter).join(', ')})`;
    case 'comparison':
      return `(${printFilter(node.left)} ${node.op} ${printFilter(node.right)})`;
    case 'inList':
      return `(${printFilter(node.left)} in (${node.items.map(printFilter).join(', ')}))`;
    case 'inCollection':
      return `(${printFilter(node.left)} in ${printFilter(node.collection)})`;
    case 'not':
      return `(not ${printFilter(node.operand)})`;
    case 'and':
    case 'or':
      return `(${printFilter(node.left)} ${node.kind} ${printFilter(node.right)})`;
  }
}
