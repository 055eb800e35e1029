import type { CallerAuthenticator, CallerRequest } from '../auth/caller-auth';
import type { ClientAccess, ClientTokenIssuer } from '../auth/client-access-token-issuer';
import { findHubSettings, type Config } from '../config/app-config';
import { BadRequestError } from '../http/errors';

/**
 * negotiate: authenticate the caller, pick the hub (`?hub=` among the configured hubs, else the
 * default), and issue a client token with the hub's configured roles and groups. Clients never
 * choose their own roles or groups. `?protocol=mqtt` asks for an MQTT URL (`/clients/mqtt/hubs/<hub>`)
 * with the same identity and roles (docs/mqtt.md); absent or `default` = the WebSocket client URL.
 */
export async function negotiate(
  request: CallerRequest,
  deps: { config: Config; authenticate: CallerAuthenticator; issueToken: ClientTokenIssuer },
): Promise<ClientAccess> {
  // Authenticate first so an unauthenticated caller learns nothing about the configured hubs.
  const userId = await deps.authenticate(request);
  const requested = request.query.get('hub');
  const hub = findHubSettings(deps.config, requested === null || requested === '' ? deps.config.defaultHub : requested);
  if (!hub)
    throw new BadRequestError(`hub "${(requested ?? '').slice(0, 128)}" is not configured (${deps.config.hubs.map((h) => h.name).join(', ')})`, 'UnknownHub');
  const protocol = (request.query.get('protocol') ?? 'default').toLowerCase();
  if (protocol !== 'default' && protocol !== 'mqtt') throw new BadRequestError('protocol must be "mqtt" or "default" (or absent)', 'UnknownProtocol');
  return deps.issueToken({ hub: hub.name, userId, roles: hub.roles, groups: hub.groups, ...(protocol === 'mqtt' ? { clientProtocol: 'mqtt' as const } : {}) });
}
