/**
 * Small helpers over the tree-sitter Bicep syntax tree, for the offline infra tests: there is no
 * Bicep CLI or Azure account here, so the templates are checked as parsed syntax.
 *
 * - `loadBicepFiles` parses every .bicep file under a folder.
 * - `resources`, `modules`, `params`, `variables`, `outputs` list declarations.
 * - `evaluate` computes an expression for given parameter values. Values that only exist at deploy
 *   time (module outputs, `tenant()`, `listKeys()`) become `Symbolic` values carrying their source text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

// ---------------------------------------------------------------------------------------------
// Parsing

let parserPromise: Promise<Parser> | undefined;

async function getParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    // jest loads web-tree-sitter's CommonJS build; its .wasm sits next to it.
    const runtimeDir = dirname(require.resolve('web-tree-sitter'));
    await Parser.init({ locateFile: (file: string) => join(runtimeDir, file) });
    const grammar = require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    const language = await Language.load(readFileSync(grammar));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/**
 * `extension <alias>` (Bicep 0.30+) postdates tree-sitter-bicep 1.1.0, which reports it as an ERROR.
 * Only lines that are exactly such a statement are blanked (same length, so positions stay true) and
 * reported, so the tests can check each alias against bicepconfig.json. Nothing else is rewritten.
 */
const EXTENSION_LINE = /^extension[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/;

export interface BicepFile {
  /** Path relative to the folder given to loadBicepFiles, with forward slashes. */
  readonly rel: string;
  readonly path: string;
  readonly source: string;
  readonly tree: Tree;
  readonly root: Node;
  /** Extension aliases declared with `extension <alias>` (blanked before parsing, see above). */
  readonly extensions: readonly string[];
}

export async function parseBicep(source: string, path = '<inline>', rel = path): Promise<BicepFile> {
  const extensions: string[] = [];
  const shimmed = source
    .split('\n')
    .map((line) => {
      const m = EXTENSION_LINE.exec(line.replace(/\r$/, ''));
      if (!m) return line;
      extensions.push(m[1]!);
      return ' '.repeat(line.length);
    })
    .join('\n');
  const tree = (await getParser()).parse(shimmed);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${path}`);
  return { rel, path, source, tree, root: tree.rootNode, extensions };
}

export async function loadBicepFiles(dir: string): Promise<BicepFile[]> {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      // .deploy holds the staged app package, never templates.
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(d, entry.name));
      else if (entry.isFile() && entry.name.endsWith('.bicep')) files.push(join(d, entry.name));
    }
  };
  walk(dir);
  files.sort();
  return Promise.all(files.map((f) => parseBicep(readFileSync(f, 'utf8'), f, relative(dir, f).split('\\').join('/'))));
}

export interface SyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly kind: 'ERROR' | 'MISSING';
  readonly text: string;
}

/** Every ERROR and MISSING node, 1-based line:column. */
export function syntaxProblems(root: Node): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const visit = (n: Node): void => {
    if (n.isError || n.isMissing) {
      out.push({
        line: n.startPosition.row + 1,
        column: n.startPosition.column + 1,
        kind: n.isMissing ? 'MISSING' : 'ERROR',
        text: n.isMissing ? n.type : n.text.slice(0, 80),
      });
    }
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Declarations

/** Named children without comments (the grammar keeps comments as named nodes anywhere). */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((c) => c.type !== 'comment');
}

function named(node: Node, type: string): Node[] {
  return node.namedChildren.filter((c) => c.type === type);
}

function identifierOf(decl: Node): string {
  const id = decl.namedChildren.find((c) => c.type === 'identifier');
  if (!id) throw new Error(`no identifier in ${decl.type} at line ${decl.startPosition.row + 1}`);
  return id.text;
}

/** The decorators written above a declaration (`@description(...)`, `@allowed([...])`). */
export function decoratorsOf(decl: Node): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  let prev = decl.previousNamedSibling;
  while (prev?.type === 'comment') prev = prev.previousNamedSibling;
  if (prev?.type !== 'decorators') return out;
  for (const d of named(prev, 'decorator')) {
    const call = d.namedChildren.find((c) => c.type === 'call_expression');
    if (!call) continue;
    const name = call.namedChildren[0]!.text;
    const args = call.namedChildren.find((c) => c.type === 'arguments');
    out.set(name, args ? args.namedChildren : []);
  }
  return out;
}

/** `if (cond) { ... }` → the condition and the object; a plain object → no condition. */
function bodyOf(valueNode: Node): { condition: Node | null; body: Node } {
  if (valueNode.type === 'if_statement') {
    const cond = valueNode.namedChildren.find((c) => c.type === 'parenthesized_expression');
    const body = valueNode.namedChildren.find((c) => c.type === 'object');
    if (!cond || !body) throw new Error(`unexpected if_statement at line ${valueNode.startPosition.row + 1}`);
    return { condition: cond.namedChildren[0]!, body };
  }
  if (valueNode.type === 'object') return { condition: null, body: valueNode };
  throw new Error(`unsupported declaration body ${valueNode.type} at line ${valueNode.startPosition.row + 1}`);
}

export interface ResourceDecl {
  readonly symbol: string;
  readonly type: string;
  readonly apiVersion: string;
  readonly existing: boolean;
  readonly condition: Node | null;
  readonly body: Node;
  readonly node: Node;
}

export function resources(root: Node): ResourceDecl[] {
  return named(root, 'resource_declaration').map((decl) => {
    const typeString = stringLiteral(decl.namedChildren.find((c) => c.type === 'string')!);
    if (typeString === undefined) throw new Error(`resource type is not a literal at line ${decl.startPosition.row + 1}`);
    const at = typeString.lastIndexOf('@');
    const { condition, body } = bodyOf(decl.namedChildren[decl.namedChildren.length - 1]!);
    return {
      symbol: identifierOf(decl),
      type: typeString.slice(0, at),
      apiVersion: typeString.slice(at + 1),
      existing: decl.children.some((c) => c.type === 'existing'),
      condition,
      body,
      node: decl,
    };
  });
}

export interface ModuleDecl {
  readonly symbol: string;
  readonly path: string;
  readonly condition: Node | null;
  readonly body: Node;
}

export function modules(root: Node): ModuleDecl[] {
  return named(root, 'module_declaration').map((decl) => {
    const path = stringLiteral(decl.namedChildren.find((c) => c.type === 'string')!);
    if (path === undefined) throw new Error('module path is not a literal');
    const { condition, body } = bodyOf(decl.namedChildren[decl.namedChildren.length - 1]!);
    return { symbol: identifierOf(decl), path, condition, body };
  });
}

export interface ParamDecl {
  readonly name: string;
  readonly type: string;
  readonly defaultValue: Node | null;
  readonly decorators: Map<string, Node[]>;
}

export function params(root: Node): ParamDecl[] {
  return named(root, 'parameter_declaration').map((decl) => {
    const eq = decl.children.findIndex((c) => c.type === '=');
    return {
      name: identifierOf(decl),
      type: decl.namedChildren.find((c) => c.type === 'type')?.text ?? '',
      defaultValue: eq >= 0 ? decl.children[eq + 1]! : null,
      decorators: decoratorsOf(decl),
    };
  });
}

export function variables(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const decl of named(root, 'variable_declaration')) {
    const eq = decl.children.findIndex((c) => c.type === '=');
    out.set(identifierOf(decl), decl.children[eq + 1]!);
  }
  return out;
}

export interface OutputDecl {
  readonly name: string;
  readonly type: string;
  readonly value: Node;
  readonly decorators: Map<string, Node[]>;
}

export function outputs(root: Node): OutputDecl[] {
  return named(root, 'output_declaration').map((decl) => {
    const eq = decl.children.findIndex((c) => c.type === '=');
    return {
      name: identifierOf(decl),
      type: decl.namedChildren.find((c) => c.type === 'type')?.text ?? '',
      value: decl.children[eq + 1]!,
      decorators: decoratorsOf(decl),
    };
  });
}

/** `targetScope = '...'`, or 'resourceGroup' when absent. */
export function targetScope(root: Node): string {
  const decl = named(root, 'target_scope_assignment')[0];
  if (!decl) return 'resourceGroup';
  return stringLiteral(decl.namedChildren.find((c) => c.type === 'string')!) ?? '';
}

// ---------------------------------------------------------------------------------------------
// Objects, arrays, strings

/** Property name → value node of an object literal (keys written as identifiers or strings). */
export function objectProps(obj: Node): Map<string, Node> {
  if (obj.type !== 'object') throw new Error(`expected an object, got ${obj.type} at line ${obj.startPosition.row + 1}`);
  const out = new Map<string, Node>();
  for (const p of named(obj, 'object_property')) {
    const key = p.namedChildren[0]!;
    const name = key.type === 'string' ? stringLiteral(key) : key.text;
    if (name === undefined) throw new Error(`computed object key at line ${key.startPosition.row + 1}`);
    const colon = p.children.findIndex((c) => c.type === ':');
    out.set(name, p.children[colon + 1]!);
  }
  return out;
}

/** Follows a dotted path of object properties (`properties.siteConfig.minTlsVersion`). */
export function prop(obj: Node, path: string): Node | undefined {
  let cur: Node | undefined = obj;
  for (const key of path.split('.')) {
    if (!cur || cur.type !== 'object') return undefined;
    cur = objectProps(cur).get(key);
  }
  return cur;
}

export function arrayItems(node: Node): Node[] {
  if (node.type !== 'array') throw new Error(`expected an array, got ${node.type}`);
  return kids(node);
}

const ESCAPES: Record<string, string> = { "\\'": "'", '\\\\': '\\', '\\n': '\n', '\\r': '\r', '\\t': '\t', '\\$': '$' };

/** The value of a string literal without interpolation, else undefined. */
export function stringLiteral(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += ESCAPES[c.text] ?? c.text;
    else return undefined;
  }
  // A multi-line '''...''' string has no named parts for its text in some grammar versions.
  if (node.namedChildren.length === 0 && node.text.startsWith("'''")) return node.text.slice(3, -3);
  return out;
}

/** Every node of `type` under `node` (inclusive). */
export function descendants(node: Node, type: string): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === type) out.push(n);
    for (const c of n.namedChildren) visit(c);
  };
  visit(node);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** A value only known at deploy time, identified by the Bicep source that produces it. */
export class Symbolic {
  constructor(readonly expr: string) {}
  toString(): string {
    return `<${this.expr}>`;
  }
}

export type Value = string | number | boolean | null | Symbolic | Value[] | { [key: string]: Value };

export interface Scope {
  /** Parameter values of this file (callers merge defaults in with `paramValues`). */
  readonly params: Readonly<Record<string, Value>>;
  /** The file's variable declarations. */
  readonly vars: ReadonlyMap<string, Node>;
  /** Folder of the file, for loadJsonContent(). */
  readonly baseDir?: string;
}

export function isObjectValue(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Symbolic);
}

/**
 * Evaluates an expression. Supports literals, objects, arrays, interpolated strings, params, vars,
 * `?:`, `!`, `==`, `!=`, `&&`, `||`, and the functions union, empty, contains, toLower, take.
 * Anything else (member access on resources/modules, deploy-time functions) becomes Symbolic.
 * Interpolating a Symbolic value yields a Symbolic string whose expr is the whole template.
 */
export function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'string': {
      const parts: Value[] = [];
      for (const c of node.namedChildren) {
        if (c.type === 'string_content') parts.push(c.text);
        else if (c.type === 'escape_sequence') parts.push(ESCAPES[c.text] ?? c.text);
        else if (c.type === 'interpolation') parts.push(evaluate(c.namedChildren[0]!, scope));
      }
      if (parts.every((p) => typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean')) return parts.join('');
      return new TemplateValue(parts);
    }
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'parenthesized_expression':
      return evaluate(kids(node)[0]!, scope);
    case 'object': {
      const out: { [key: string]: Value } = {};
      for (const [k, v] of objectProps(node)) out[k] = evaluate(v, scope);
      return out;
    }
    case 'array':
      return kids(node).map((c) => evaluate(c, scope));
    case 'identifier': {
      if (Object.prototype.hasOwnProperty.call(scope.params, node.text)) return scope.params[node.text]!;
      const v = scope.vars.get(node.text);
      if (v) return evaluate(v, scope);
      return new Symbolic(node.text);
    }
    case 'ternary_expression': {
      const [cond, whenTrue, whenFalse] = kids(node);
      const c = evaluate(cond!, scope);
      if (typeof c !== 'boolean') throw new Error(`condition is not known before deployment: ${cond!.text}`);
      return evaluate(c ? whenTrue! : whenFalse!, scope);
    }
    case 'unary_expression': {
      const v = evaluate(node.namedChildren[0]!, scope);
      if (node.children[0]!.text === '!' && typeof v === 'boolean') return !v;
      return new Symbolic(node.text);
    }
    case 'binary_expression': {
      const [l, r] = node.namedChildren;
      const op = node.children[1]!.text;
      const a = evaluate(l!, scope);
      const b = evaluate(r!, scope);
      if (a instanceof Symbolic || b instanceof Symbolic || a instanceof TemplateValue || b instanceof TemplateValue) return new Symbolic(node.text);
      if (op === '==') return a === b;
      if (op === '!=') return a !== b;
      if (op === '&&') return a === true && b === true;
      if (op === '||') return a === true || b === true;
      return new Symbolic(node.text);
    }
    case 'member_expression': {
      // `obj.prop` on a value known here (a var holding an object, loadJsonContent()).
      const [target, property] = node.namedChildren;
      if (property?.type === 'property_identifier' && !node.children.some((c) => c.type === '!' || c.type === '.?')) {
        const t = evaluate(target!, scope);
        if (isObjectValue(t) && Object.prototype.hasOwnProperty.call(t, property.text)) return t[property.text]!;
      }
      return new Symbolic(node.text);
    }
    case 'call_expression': {
      const fn = node.namedChildren[0]!.text;
      if (fn === 'loadJsonContent' && scope.baseDir) {
        const file = evaluate(kids(node.namedChildren[1]!)[0]!, scope);
        if (typeof file === 'string') return JSON.parse(readFileSync(resolve(scope.baseDir, file), 'utf8')) as Value;
      }
      const argsNode = node.namedChildren.find((c) => c.type === 'arguments');
      const args = (argsNode ? kids(argsNode) : []).map((a) => evaluate(a, scope));
      if (fn === 'union' && args.every(isObjectValue)) return Object.assign({}, ...(args as object[]));
      if (fn === 'empty' && args.length === 1 && !(args[0] instanceof Symbolic) && !(args[0] instanceof TemplateValue)) {
        const v = args[0];
        return v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObjectValue(v!) && Object.keys(v!).length === 0);
      }
      if (fn === 'toLower' && typeof args[0] === 'string') return args[0].toLowerCase();
      if (fn === 'take' && typeof args[0] === 'string' && typeof args[1] === 'number') return args[0].slice(0, args[1]);
      return new Symbolic(node.text);
    }
    default:
      return new Symbolic(node.text);
  }
}

/** An interpolated string with at least one Symbolic part. */
export class TemplateValue extends Symbolic {
  constructor(readonly parts: readonly Value[]) {
    super(parts.map((p) => (p instanceof Symbolic ? `\${${p.expr}}` : String(p))).join(''));
  }
}

/** Parameter values: the declared defaults, overridden by `given`. Params without either are absent. */
export function paramValues(file: BicepFile, given: Readonly<Record<string, Value>> = {}): Record<string, Value> {
  const out: Record<string, Value> = {};
  const vars = variables(file.root);
  for (const p of params(file.root)) {
    if (Object.prototype.hasOwnProperty.call(given, p.name)) out[p.name] = given[p.name]!;
    else if (p.defaultValue) out[p.name] = evaluate(p.defaultValue, { params: out, vars, baseDir: dirname(file.path) });
  }
  for (const [k, v] of Object.entries(given)) if (!(k in out)) out[k] = v;
  return out;
}

export function scopeOf(file: BicepFile, given: Readonly<Record<string, Value>> = {}): Scope {
  return { params: paramValues(file, given), vars: variables(file.root), baseDir: dirname(file.path) };
}

/**
 * Replaces every Symbolic part with a concrete stand-in from `placeholders` (keyed by the Symbolic's
 * source text). Throws on a Symbolic with no stand-in, so a new deploy-time value is never silently
 * accepted.
 */
export function concretize(v: Value, placeholders: Readonly<Record<string, string>>): Value {
  if (v instanceof TemplateValue) return v.parts.map((p) => concretize(p, placeholders)).join('');
  if (v instanceof Symbolic) {
    const s = placeholders[v.expr];
    if (s === undefined) throw new Error(`no placeholder for deploy-time value ${v.expr}`);
    return s;
  }
  if (Array.isArray(v)) return v.map((x) => concretize(x, placeholders));
  if (isObjectValue(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, concretize(x, placeholders)]));
  return v;
}

/** The Symbolic source texts inside a value (for "where does this come from" assertions). */
export function symbolicSources(v: Value): string[] {
  if (v instanceof TemplateValue) return v.parts.flatMap(symbolicSources);
  if (v instanceof Symbolic) return [v.expr];
  if (Array.isArray(v)) return v.flatMap(symbolicSources);
  if (isObjectValue(v)) return Object.values(v).flatMap(symbolicSources);
  return [];
}
