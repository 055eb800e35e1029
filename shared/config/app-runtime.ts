import { createCallerAuthenticator, type CallerAuthenticator } from '../auth/caller-auth';
import { createKeyTokenIssuer, createServiceTokenIssuer, type ClientTokenIssuer } from '../auth/client-access-token-issuer';
import type { Config } from './app-config';
import type { HubDefinition } from '../hub/hub-definition';
import { createHubRegistry, type HubRegistry } from '../hub/hub-registry';
import type { HubService } from '../hub/hub-service';
import { hubDefinitions } from '../hub/app-hubs';
import { createServiceClients, toServiceError } from '../hub/service-client';
import { createUpstreamAuthenticator, type UpstreamAuthenticator } from '../auth/upstream-auth';

/**
 * Everything the functions need, built once from the config: the hub registry, the service
 * clients, the token issuer and both authenticators. Tests build their own with overrides.
 */
export interface Runtime {
  readonly config: Config;
  readonly hubs: HubRegistry;
  serviceFor(hub: string): HubService;
  readonly issueClientToken: ClientTokenIssuer;
  readonly authenticateCaller: CallerAuthenticator;
  readonly authenticateUpstream: UpstreamAuthenticator;
}

export interface RuntimeOverrides {
  readonly hubDefinitions?: readonly HubDefinition[];
  readonly serviceFor?: (hub: string) => HubService;
  readonly authenticateUpstream?: UpstreamAuthenticator;
}

export function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  const { service } = config;
  const clients = createServiceClients(service);
  const issueClientToken = service.keyless
    ? createServiceTokenIssuer({
        endpoint: service.endpoint,
        lifetimeMinutes: config.tokenLifetimeMinutes,
        generate: async (hub, options) => {
          try {
            return await clients.client(hub).getClientAccessToken(options);
          } catch (e) {
            throw toServiceError(e, 'generate a client token', service.endpoint);
          }
        },
      })
    : createKeyTokenIssuer({ endpoint: service.endpoint, accessKey: service.accessKeys[0]!, lifetimeMinutes: config.tokenLifetimeMinutes });
  return Object.freeze({
    config,
    hubs: createHubRegistry(config, overrides.hubDefinitions ?? hubDefinitions),
    serviceFor: overrides.serviceFor ?? ((hub: string) => clients.forHub(hub)),
    issueClientToken,
    authenticateCaller: createCallerAuthenticator(config.negotiateAuth),
    authenticateUpstream:
      overrides.authenticateUpstream ??
      createUpstreamAuthenticator({ accessKeys: service.accessKeys, ...(config.eventHandlerToken ? { token: config.eventHandlerToken } : {}) }),
  });
}
