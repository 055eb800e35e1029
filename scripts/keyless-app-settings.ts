/**
 * The application settings infra/modules/function-app-settings.bicep gives the function app in its
 * default deployment (keyless, `useAccessKeys: false`), as a function of the deployment's values.
 * `npm run start:keyless` calls it with local values; test/infra/keyless-app-settings.test.ts evaluates
 * the Bicep with the same values and requires the two to be equal, so they cannot drift apart.
 *
 * Only the settings the app reads (shared/config.ts KNOWN_SETTINGS) are here: the platform's own
 * (host storage, Application Insights, App Service Authentication's) have no local counterpart.
 */

export interface KeylessDeployment {
  /** `<name>.webpubsub.azure.com` in Azure; `localhost:<port>` locally. */
  readonly webPubSubHostName: string;
  /** Client id of the function app's user-assigned identity. */
  readonly identityClientId: string;
  readonly tenantId: string;
  /** `environment().authentication.loginEndpoint`: `https://login.microsoftonline.com/` in Azure; the local authority's base URL locally. */
  readonly loginEndpoint: string;
  /** The app registration's client id: the upstream token audience and the sign-in app. */
  readonly appClientId: string;
  /** True when infra/ created the app registration (it then asks for v2 tokens). */
  readonly appRegistrationCreated: boolean;
  /** Principal (object) id of the Web PubSub resource's identity: the `oid` of upstream tokens. */
  readonly webPubSubPrincipalId: string;
  readonly hubName: string;
  readonly negotiateAuth: 'easyauth' | 'jwt';
  /** With `enableSignalR`: the SignalR Service host and its identity's principal (object) id. */
  readonly signalR?: { readonly hostName: string; readonly principalId: string };
}

export function keylessAppSettings(d: KeylessDeployment): Record<string, string> {
  const entraIssuer = `${d.loginEndpoint}${d.tenantId}/v2.0`;
  const entraJwksUrl = `${d.loginEndpoint}${d.tenantId}/discovery/v2.0/keys`;
  return {
    WebPubSubConnectionString__serviceUri: `https://${d.webPubSubHostName}`,
    WebPubSubConnectionString__clientId: d.identityClientId,
    WebPubSubHub: d.hubName,
    // Least privilege: clients get no roles unless a hub asks (as infra deploys it).
    WebPubSubRoles: 'none',
    NegotiateAuth: d.negotiateAuth,
    EventHandlerTokenTenantId: d.tenantId,
    EventHandlerTokenAudience: d.appClientId,
    EventHandlerTokenCallerObjectId: d.webPubSubPrincipalId,
    EventHandlerTokenJwksUrl: entraJwksUrl,
    ...(d.appRegistrationCreated ? { EventHandlerTokenIssuer: entraIssuer } : {}),
    ...(d.negotiateAuth === 'jwt' ? { NegotiateJwtJwksUrl: entraJwksUrl, NegotiateJwtIssuer: entraIssuer, NegotiateJwtAudience: d.appClientId } : {}),
    ...(d.signalR
      ? {
          AzureSignalRConnectionString__serviceUri: `https://${d.signalR.hostName}`,
          AzureSignalRConnectionString__clientId: d.identityClientId,
          SignalRHub: d.hubName,
          SignalRUpstreamTokenTenantId: d.tenantId,
          SignalRUpstreamTokenAudience: d.appClientId,
          SignalRUpstreamTokenCallerObjectId: d.signalR.principalId,
          SignalRUpstreamTokenJwksUrl: entraJwksUrl,
          ...(d.appRegistrationCreated ? { SignalRUpstreamTokenIssuer: entraIssuer } : {}),
        }
      : {}),
  };
}
