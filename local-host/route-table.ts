import type { FunctionMetadata, RpcBindingInfo } from './core-types';

/** One segment of a route template such as `items/{id:int}/{*rest}`. */
export type RouteSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string; readonly optional: boolean; readonly constraint?: string }
  | { readonly kind: 'catchAll'; readonly name: string };

export interface HttpRoute {
  readonly functionName: string;
  /** The full template including the route prefix, e.g. `api/negotiate`. */
  readonly template: string;
  readonly segments: readonly RouteSegment[];
  /** Upper-case methods; empty means every method (a trigger without `methods`). */
  readonly methods: readonly string[];
  readonly authLevel: string;
  /** The name of the trigger binding: the key the invocation request's `inputData` must use. */
  readonly triggerBindingName: string;
}

export interface RouteTable {
  readonly routes: readonly HttpRoute[];
  /** Functions whose trigger is not HTTP: the local host cannot run them. */
  readonly unsupported: readonly { readonly functionName: string; readonly triggerType: string }[];
}

export interface RouteMatch {
  readonly route: HttpRoute;
  readonly params: Record<string, string>;
}

/** Parses a Functions route template (ASP.NET-style, whole-segment parameters only). Throws on a malformed one. */
export function parseRouteTemplate(template: string): RouteSegment[] {
  const parts = trimSlashes(template).split('/');
  const segments: RouteSegment[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const m = /^\{(\*?)([A-Za-z_][\w]*)(?::([^}?]+))?(\??)\}$/.exec(part);
    if (!m) {
      if (/[{}]/.test(part)) throw new SyntaxError(`Unsupported route segment "${part}" in "${template}"`);
      segments.push({ kind: 'literal', text: part });
      continue;
    }
    const [, star, name, constraint, optional] = m as unknown as [string, string, string, string | undefined, string];
    segments.push(star ? { kind: 'catchAll', name } : { kind: 'param', name, optional: optional === '?', ...(constraint ? { constraint } : {}) });
  }
  return segments;
}

/**
 * Derives the host's route table from captured registrations, as the Functions host does from function.json:
 * the httpTrigger binding's `route` (default: the function name) under host.json's `routePrefix`.
 */
export function buildRouteTable(functions: readonly FunctionMetadata[], routePrefix: string): RouteTable {
  const routes: HttpRoute[] = [];
  const unsupported: { functionName: string; triggerType: string }[] = [];
  for (const fn of functions) {
    const trigger = Object.entries(fn.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ''));
    if (!trigger) continue;
    const [bindingName, binding] = trigger;
    if ((binding.type ?? '').toLowerCase() !== 'httptrigger') {
      unsupported.push({ functionName: fn.name, triggerType: binding.type ?? 'unknown' });
      continue;
    }
    const route = typeof binding.route === 'string' ? binding.route : fn.name;
    const template = [trimSlashes(routePrefix), trimSlashes(route)].filter(Boolean).join('/');
    routes.push({
      functionName: fn.name,
      template,
      segments: parseRouteTemplate(template),
      methods: readMethods(binding),
      authLevel: typeof binding.authLevel === 'string' ? binding.authLevel : 'function',
      triggerBindingName: bindingName,
    });
  }
  // Literal segments win over parameters, parameters over catch-alls (ASP.NET route precedence).
  routes.sort((a, b) => comparePrecedence(a.segments, b.segments));
  return { routes, unsupported };
}

/** Finds the route for a request path (already without query). Literal segments match case-insensitively. */
export function matchRoute(table: RouteTable, method: string, pathname: string): RouteMatch | undefined {
  const path = splitPath(pathname);
  if (!path) return undefined;
  const upper = method.toUpperCase();
  for (const route of table.routes) {
    if (route.methods.length > 0 && !route.methods.includes(upper)) continue;
    const params = matchSegments(route.segments, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Decoded path segments, or undefined when the path cannot be decoded. */
function splitPath(pathname: string): string[] | undefined {
  try {
    return trimSlashes(pathname)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function matchSegments(segments: readonly RouteSegment[], path: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const value = path[i];
    if (seg.kind === 'catchAll') {
      if (path.length > i) params[seg.name] = path.slice(i).join('/');
      return params;
    }
    if (value === undefined) {
      if (seg.kind === 'param' && seg.optional) continue;
      return undefined;
    }
    if (seg.kind === 'literal') {
      if (seg.text.toLowerCase() !== value.toLowerCase()) return undefined;
    } else {
      if (seg.constraint && !satisfiesConstraint(seg.constraint, value)) return undefined;
      params[seg.name] = value;
    }
  }
  // Every segment matched or was optional; the path must not be longer than the template.
  return path.length <= segments.length ? params : undefined;
}

/** The common inline constraints; others (`regex(...)`, `minlength(n)`…) are accepted without checking. */
export function satisfiesConstraint(constraint: string, value: string): boolean {
  switch (constraint.toLowerCase()) {
    case 'int':
    case 'long':
      return /^-?\d+$/.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'guid':
      return /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(value);
    case 'double':
    case 'float':
    case 'decimal':
      return value.trim() !== '' && Number.isFinite(Number(value));
    default:
      return true;
  }
}

function readMethods(binding: RpcBindingInfo): string[] {
  return Array.isArray(binding.methods) ? binding.methods.map((m) => String(m).toUpperCase()) : [];
}

function rank(seg: RouteSegment | undefined): number {
  if (!seg) return 5;
  if (seg.kind === 'literal') return 0;
  if (seg.kind === 'catchAll') return 4;
  if (seg.optional) return 3;
  return seg.constraint ? 1 : 2;
}

function comparePrecedence(a: readonly RouteSegment[], b: readonly RouteSegment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = rank(a[i]) - rank(b[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

export type RouteCache = (method: string, pathname: string) => RouteMatch | undefined;

/** A client can send any path: the cache is emptied when it reaches this size, and long paths are not kept. */
export const routeCacheSize = 1024;
export const routeCacheMaxPath = 256;

/**
 * matchRoute for a fixed table, remembering recent answers: clients call the same few paths over and
 * over, and matching splits, decodes and compares every segment of every route. The table never
 * changes after startup, so an answer never goes stale. Each hit gets its own params object.
 */
export function createRouteCache(table: RouteTable): RouteCache {
  const cache = new Map<string, RouteMatch | undefined>();
  return (method, pathname) => {
    if (pathname.length > routeCacheMaxPath) return matchRoute(table, method, pathname);
    // A space cannot be in a method or a parsed pathname, so the key is unambiguous.
    const key = `${method} ${pathname}`;
    let match = cache.get(key);
    if (match === undefined && !cache.has(key)) {
      match = matchRoute(table, method, pathname);
      if (cache.size >= routeCacheSize) cache.clear();
      cache.set(key, match);
    }
    return match && { route: match.route, params: { ...match.params } };
  };
}
