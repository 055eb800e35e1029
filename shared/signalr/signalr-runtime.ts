import { DefaultAzureCredential } from '@azure/identity';
import type { CallerAuthenticator, CallerRequest } from '../auth/caller-auth';
import { createUpstreamAuthenticator, type UpstreamAuthenticator } from '../auth/upstream-auth';
import type { Config } from '../config/app-config';
import { BadRequestError, WebPubSubError } from '../http/errors';
import { signalrChatHub } from './chat-hub';
import { createClientRedirect, type SignalRRedirect } from './client-redirect';
import { defineSignalRHub, type SignalRHubDefinition } from './hub-definition';
import { createSignalRService, keyTokenSource, type BearerTokenSource, type SignalRService } from './rest-client';
import { findSignalRHub, type SignalRSettings } from './signalr-settings';
import { createTemporaryKeySource, KEYLESS_CLIENT_TOKEN_MAX_MINUTES, type TemporaryKeySource } from './temporary-key-source';

/**
 * What the SignalR functions need, built once from the config: the hub code by name, a REST client
 * per hub, and negotiate. Tests build their own with overrides.
 */

export interface SignalRRuntime {
  readonly settings: SignalRSettings;
  /** The hub code for a configured hub (a hub without code accepts connections and has no methods). */
  hubFor(name: string): SignalRHubDefinition | undefined;
  serviceFor(hub: string): SignalRService;
  negotiate(request: CallerRequest): Promise<SignalRRedirect>;
  /** Checks an upstream request came from our resource: X-ASRS-Signature and/or its managed-identity token. */
  readonly authenticateUpstream: UpstreamAuthenticator;
}

export const signalrHubDefinitions: readonly SignalRHubDefinition[] = [signalrChatHub];

/** 404 when the app has no SignalR settings: the Web PubSub routes still work. */
export class SignalRNotConfiguredError extends WebPubSubError {
  constructor() {
    super(
      404,
      'SignalRNotConfigured',
      'Azure SignalR Service is not configured on this app (set AzureSignalRConnectionString or AzureSignalRConnectionString__serviceUri)',
    );
  }
}

export interface SignalRRuntimeOverrides {
  readonly hubDefinitions?: readonly SignalRHubDefinition[];
  readonly serviceFor?: (hub: string) => SignalRService;
  readonly token?: BearerTokenSource;
  readonly temporaryKey?: TemporaryKeySource;
  readonly authenticateUpstream?: UpstreamAuthenticator;
}

export function createSignalRRuntime(config: Config, authenticate: CallerAuthenticator, overrides: SignalRRuntimeOverrides = {}): SignalRRuntime {
  const settings = config.signalr;
  if (!settings) throw new SignalRNotConfiguredError();
  const definitions = overrides.hubDefinitions ?? signalrHubDefinitions;
  const token = overrides.token ?? (settings.keyless ? entraTokenSource(settings) : keyTokenSource(settings.accessKeys[0]!));
  const temporaryKey = settings.keyless
    ? (overrides.temporaryKey ?? createTemporaryKeySource({ endpoint: settings.endpoint, token: () => token(settings.endpoint) }))
    : undefined;
  const authenticateUpstream =
    overrides.authenticateUpstream ??
    createUpstreamAuthenticator({
      accessKeys: settings.accessKeys,
      ...(settings.upstreamToken ? { token: settings.upstreamToken } : {}),
      signatureHeader: 'x-asrs-signature',
      serviceName: 'SignalR Service',
    });
  const services = new Map<string, SignalRService>();
  return Object.freeze({
    settings,
    authenticateUpstream,
    hubFor(name: string) {
      const hub = findSignalRHub(settings, name);
      if (hub === undefined) return undefined;
      return definitions.find((d) => d.name.toLowerCase() === hub.toLowerCase()) ?? defineSignalRHub({ name: hub, targets: {} });
    },
    serviceFor(hub: string) {
      if (overrides.serviceFor) return overrides.serviceFor(hub);
      let s = services.get(hub.toLowerCase());
      if (!s) services.set(hub.toLowerCase(), (s = createSignalRService({ endpoint: settings.endpoint, hub, token })));
      return s;
    },
    async negotiate(request: CallerRequest) {
      // Authenticate first so an unauthenticated caller learns nothing about the configured hubs.
      const userId = await authenticate(request);
      const requested = request.query.get('hub');
      const hub = findSignalRHub(settings, requested);
      if (hub === undefined)
        throw new BadRequestError(`hub "${(requested ?? '').slice(0, 128)}" is not configured (${settings.hubs.join(', ')})`, 'UnknownHub');
      // Keyless (docs/protocol/signalr.md §6.2): signed with the service's temporary key, named by kid, and
      // short enough never to outlive that key.
      const key = temporaryKey ? await temporaryKey() : undefined;
      return createClientRedirect({
        endpoint: settings.endpoint,
        hub,
        userId,
        accessKey: key ? key.accessKey : settings.accessKeys[0]!,
        ...(key ? { keyId: key.keyId } : {}),
        lifetimeMinutes: key ? Math.min(config.tokenLifetimeMinutes, KEYLESS_CLIENT_TOKEN_MAX_MINUTES) : config.tokenLifetimeMinutes,
      });
    },
  });
}

function entraTokenSource(settings: SignalRSettings): BearerTokenSource {
  const credential = new DefaultAzureCredential(settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {});
  return async () => {
    const t = await credential.getToken('https://signalr.azure.com/.default');
    if (!t) throw new Error('no Microsoft Entra token for SignalR Service');
    return t.token;
  };
}
