import { ConfigError } from '../core/service-errors';
import { isObject, validateUrlTemplate } from '../config';
import type { UpstreamEvent } from './upstream-client';

/**
 * SignalR upstream settings as the resource has them (`properties.upstream.templates`; see
 * docs/protocol/signalr.md §5.5): an ordered list of URL templates, each with a hub, category and event pattern;
 * an event goes to the first template whose three patterns match it. A pattern is `*` (anything), one name, or names joined by
 * commas; an absent pattern matches anything. Hub names compare case-insensitively, categories and events exactly.
 */

export interface UpstreamRule {
  readonly hubPattern: string;
  readonly categoryPattern: string;
  readonly eventPattern: string;
  readonly urlTemplate: string;
  /** `auth: { type: "ManagedIdentity", managedIdentity: { resource } }`: the resource of the service identity's token. */
  readonly managedIdentityResource?: string;
}

function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  const v = ignoreCase ? value.toLowerCase() : value;
  return pattern.split(',').some((p) => (ignoreCase ? p.trim().toLowerCase() : p.trim()) === v);
}

/** The first rule matching the event, or undefined. */
export function ruleFor(rules: readonly UpstreamRule[], e: Pick<UpstreamEvent, 'hub' | 'category' | 'event'>): UpstreamRule | undefined {
  return rules.find((r) => matches(r.hubPattern, e.hub, true) && matches(r.categoryPattern, e.category, false) && matches(r.eventPattern, e.event, false));
}

/**
 * The `signalr` object of the emulator's `--config` file: `{ "signalr": { "upstream": { "templates": [ { "hubPattern",
 * "categoryPattern", "eventPattern", "urlTemplate", "auth"? } ] } } }`, where `auth` is `{ "type": "None" }` or
 * `{ "type": "ManagedIdentity", "managedIdentity": { "resource": "<app id or URI>" } }`. No `signalr` object: no rules.
 */
export function parseSignalRConfig(json: unknown, source = 'config'): UpstreamRule[] {
  if (!isObject(json) || json.signalr === undefined) return [];
  const at = `${source}: signalr`;
  const problems: string[] = [];
  const signalr = json.signalr;
  const templates = isObject(signalr) && isObject(signalr.upstream) ? signalr.upstream.templates : undefined;
  if (!Array.isArray(templates)) throw new ConfigError([`${at}: expected { "upstream": { "templates": [ { "urlTemplate": "…", "hubPattern": "…" } ] } }`]);
  const rules: UpstreamRule[] = [];
  templates.forEach((t, i) => {
    const here = `${at}.upstream.templates[${i}]`;
    if (!isObject(t)) return void problems.push(`${here}: expected an object`);
    const pattern = (name: string): string => {
      const value = t[name] ?? '*';
      if (typeof value !== 'string' || value.trim() === '' || value.split(',').some((p) => p.trim() === '')) {
        problems.push(`${here}.${name}: expected "*", a name, or names joined by commas`);
        return '*';
      }
      return value.trim();
    };
    const rule = { hubPattern: pattern('hubPattern'), categoryPattern: pattern('categoryPattern'), eventPattern: pattern('eventPattern') };
    const url = t.urlTemplate;
    const problem = typeof url === 'string' ? validateUrlTemplate(url) : 'expected a string';
    if (problem !== undefined) problems.push(`${here}.urlTemplate: ${problem}`);
    const resource = managedIdentityResourceOf(t.auth, `${here}.auth`, problems);
    if (typeof url === 'string') rules.push({ ...rule, urlTemplate: url, ...(resource !== undefined ? { managedIdentityResource: resource } : {}) });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return rules;
}

function managedIdentityResourceOf(auth: unknown, here: string, problems: string[]): string | undefined {
  if (auth === undefined) return undefined;
  if (!isObject(auth) || (auth.type !== undefined && auth.type !== 'None' && auth.type !== 'ManagedIdentity')) {
    problems.push(`${here}.type: expected "None" or "ManagedIdentity"`);
    return undefined;
  }
  if (auth.type !== 'ManagedIdentity') return undefined;
  const mi = auth.managedIdentity;
  if (!isObject(mi) || typeof mi.resource !== 'string' || mi.resource.trim() === '') {
    problems.push(`${here}.managedIdentity.resource: expected the resource (app id or URI) the service's token is for`);
    return undefined;
  }
  return mi.resource;
}
