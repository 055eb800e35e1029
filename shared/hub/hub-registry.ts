import type { Config } from '../config/app-config';
import { ConfigError } from '../http/errors';
import { defaultHub, type HubDefinition } from './hub-definition';
import { findName } from '../validation/names';
import { isRoleAllowed } from '../auth/roles';

/**
 * Hub definitions by configured hub name (case-insensitive). A configured hub without a definition
 * gets `defaultHub` (accepts connections with their token identity, acknowledges every event), so a
 * hub used only for server-to-client publishing needs no code. Definitions for hubs that are not
 * configured are ignored: their events answer 404.
 */
export interface HubRegistry {
  /** The definition for a configured hub, or undefined when the hub is not configured. */
  find(hub: string): HubDefinition | undefined;
}

export function createHubRegistry(config: Config, definitions: readonly HubDefinition[]): HubRegistry {
  const byName = new Map<string, HubDefinition>();
  const problems: string[] = [];
  for (const hub of config.hubs) {
    const def = definitions.find((d) => d.name.toLowerCase() === hub.name.toLowerCase()) ?? defaultHub(hub.name);
    // The operator's negotiate roles must fit the hub's declared policy too.
    if (def.allowedRoles) {
      const denied = hub.roles.filter((r) => !isRoleAllowed(r, def.allowedRoles!));
      if (denied.length > 0)
        problems.push(
          `WebPubSubRoles__${hub.name}: hub "${hub.name}" does not allow ${denied.join(', ')} (its allowedRoles: ${def.allowedRoles.join(', ') || 'none'})`,
        );
    }
    byName.set(hub.name.toLowerCase(), def);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const names = config.hubs.map((h) => h.name);
  return {
    find(hub) {
      const name = findName(names, hub);
      return name === undefined ? undefined : byName.get(name.toLowerCase());
    },
  };
}
