import { ConfigError } from '../core/service-errors';
import type { UpstreamTarget } from './upstream-client';

/**
 * The `signalr` object of the emulator's `--config` file: the resource's upstream settings, in the
 * shape of the ARM `upstream.templates` list (docs/signalr.md):
 * `{ "upstreams": [{ "hubPattern": "chat" | "*", "urlTemplate": "...",
 *    "auth"?: { "type": "ManagedIdentity", "managedIdentity": { "resource": "..." } } }] }`.
 * One template per hub (or `*`); event and category patterns are not supported.
 */
export function parseSignalRConfig(json: unknown, source = 'signalr'): Map<string, UpstreamTarget> {
  const problems: string[] = [];
  const targets = new Map<string, UpstreamTarget>();
  if (json === undefined) return targets;
  if (!isObject(json)) throw new ConfigError([`${source}: expected an object with "upstreams"`]);
  const list = json.upstreams ?? [];
  if (!Array.isArray(list)) throw new ConfigError([`${source}.upstreams: expected an array`]);
  list.forEach((u, i) => {
    const at = `${source}.upstreams[${i}]`;
    if (!isObject(u)) return void problems.push(`${at}: expected an object with hubPattern and urlTemplate`);
    const hub = u.hubPattern;
    if (typeof hub !== 'string' || !/^(\*|[A-Za-z][A-Za-z0-9_`,.[\]]{0,127})$/.test(hub))
      return void problems.push(`${at}.hubPattern: expected a hub name or "*"`);
    const url = u.urlTemplate;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return void problems.push(`${at}.urlTemplate: expected an http(s) URL`);
    let resource: string | undefined;
    if (u.auth !== undefined) {
      const auth = u.auth;
      const mi = isObject(auth) ? auth.managedIdentity : undefined;
      if (!isObject(auth) || (auth.type !== 'ManagedIdentity' && auth.type !== 'None'))
        return void problems.push(`${at}.auth.type: expected "ManagedIdentity" or "None"`);
      if (auth.type === 'ManagedIdentity') {
        if (!isObject(mi) || typeof mi.resource !== 'string' || mi.resource === '')
          return void problems.push(`${at}.auth.managedIdentity.resource: expected the resource (app id or URI) of the upstream`);
        resource = mi.resource;
      }
    }
    if (targets.has(hub.toLowerCase())) return void problems.push(`${at}: hub "${hub}" already has an upstream (one template per hub)`);
    targets.set(hub.toLowerCase(), { urlTemplate: url, ...(resource !== undefined ? { managedIdentityResource: resource } : {}) });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return targets;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
