// The function app's application settings and App Service Authentication.
// The app settings are exactly the settings shared/config/app-config.ts reads (KNOWN_SETTINGS) plus the
// platform's own; test/unit/infra checks both directions and feeds them to loadConfig.
// No setting holds a secret unless useAccessKeys is true (then WebPubSubConnectionString does).

param functionAppName string
param identityClientId string
param storageBlobEndpoint string
param appInsightsConnectionString string
param webPubSubName string
param webPubSubHostName string
@description('Principal (object) id of the Web PubSub managed identity: the oid of the upstream token.')
param webPubSubPrincipalId string
param hubName string

@description('Key mode: WebPubSubConnectionString with an access key (a secret in app settings). Default keyless.')
param useAccessKeys bool

@allowed([
  'easyauth'
  'jwt'
])
param negotiateAuth string

@description('Client id of the app registration: event-handler token audience, EasyAuth sign-in app, default jwt audience.')
param appClientId string

@description('True when app-registration.bicep created the app: it trusts this identity (federated credential) and issues v2 tokens.')
param appRegistrationCreated bool

param negotiateJwtIssuer string
param negotiateJwtAudience string
param negotiateJwtJwksUrl string
param negotiateJwtUserClaim string
param corsAllowedOrigins string

@description('True when main.bicep deploys SignalR Service (enableSignalR); false: the app serves Web PubSub only.')
param enableSignalR bool = false

@description('Host name of the SignalR Service resource (with enableSignalR).')
param signalRHostName string = ''

@description('Principal (object) id of the SignalR Service managed identity: the oid of its upstream token.')
param signalRPrincipalId string = ''

@description('The app\'s SignalRHub.')
param signalRHubName string = 'chat'

var loginEndpoint = environment().authentication.loginEndpoint
var tenantId = tenant().tenantId
var entraIssuer = '${loginEndpoint}${tenantId}/v2.0'
// Signing keys are the same for v1 and v2 tokens; built from the cloud's login endpoint so it also
// works outside the public cloud.
var entraJwksUrl = '${loginEndpoint}${tenantId}/discovery/v2.0/keys'

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

// Platform settings: host storage and telemetry through the user-assigned identity.
// Blob only: the app has HTTP triggers alone, so the host needs no queues or tables.
var platformSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// docs/protocol/auth.md §1.2: keyless = endpoint + the identity; the SDK gets Entra tokens for it.
var keylessServiceSettings = {
  WebPubSubConnectionString__serviceUri: 'https://${webPubSubHostName}'
  WebPubSubConnectionString__clientId: identityClientId
}

// Opt-in key mode. listKeys() is only evaluated when useAccessKeys is true (ARM evaluates one
// branch of if()); the connection string then sits in app settings as a secret. A Key Vault
// reference would keep it out of the site config; see docs/deploy.md.
var keyServiceSettings = {
  WebPubSubConnectionString: webPubSub.listKeys().primaryConnectionString
}

// Least privilege, stated here as well as in the app's default: client tokens carry no group roles, so
// every chat message and room change goes through the hub (which stamps the sender).
var hubSettings = {
  WebPubSubHub: hubName
  WebPubSubRoles: 'none'
  NegotiateAuth: negotiateAuth
}

// docs/protocol/cloud-events.md §9: the hub's event handler uses ManagedIdentity auth with resource = appClientId,
// so every upstream request carries a token with aud = appClientId and oid = the service identity.
// Required in keyless mode (no ce-signature without keys); kept in key mode as a second check.
var eventHandlerTokenSettings = union(
  {
    EventHandlerTokenTenantId: tenantId
    EventHandlerTokenAudience: appClientId
    EventHandlerTokenCallerObjectId: webPubSubPrincipalId
    EventHandlerTokenJwksUrl: entraJwksUrl
  },
  // Only the created app is known to issue v2 tokens; for a supplied app the config accepts the
  // tenant's v1 and v2 issuers.
  appRegistrationCreated ? { EventHandlerTokenIssuer: entraIssuer } : {}
)

// jwt: by default Microsoft Entra tokens of this tenant issued for the app registration.
var jwtSettings = union(
  {
    NegotiateJwtJwksUrl: empty(negotiateJwtJwksUrl) ? entraJwksUrl : negotiateJwtJwksUrl
    NegotiateJwtIssuer: empty(negotiateJwtIssuer) ? entraIssuer : negotiateJwtIssuer
    NegotiateJwtAudience: empty(negotiateJwtAudience) ? appClientId : negotiateJwtAudience
  },
  empty(negotiateJwtUserClaim) ? {} : { NegotiateJwtUserClaim: negotiateJwtUserClaim }
)

// App Service Authentication proves its client with a token of the identity instead of a client
// secret (the setting holds a client id, not a secret). Kept in jwt mode too: authsettingsV2 (always
// deployed) names it, so switching modes never leaves it pointing at a missing setting.
var easyAuthSettings = appRegistrationCreated ? { OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identityClientId } : {}

var corsSettings = empty(corsAllowedOrigins) ? {} : { CorsAllowedOrigins: corsAllowedOrigins }

// docs/protocol/signalr.md §6: always keyless. Negotiate signs client tokens with the service's
// temporary key, REST calls carry the identity's token, and upstream requests carry a token of the
// SignalR identity for the same app registration. The app checks it with SignalR's own settings (the
// EventHandlerToken* ones above are Web PubSub's), so each service's check follows its own mode.
var signalRSettings = !enableSignalR ? {} : union(
  {
    AzureSignalRConnectionString__serviceUri: 'https://${signalRHostName}'
    AzureSignalRConnectionString__clientId: identityClientId
    SignalRHub: signalRHubName
    SignalRUpstreamTokenTenantId: tenantId
    SignalRUpstreamTokenAudience: appClientId
    SignalRUpstreamTokenCallerObjectId: signalRPrincipalId
    SignalRUpstreamTokenJwksUrl: entraJwksUrl
  },
  appRegistrationCreated ? { SignalRUpstreamTokenIssuer: entraIssuer } : {}
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(
    platformSettings,
    useAccessKeys ? keyServiceSettings : keylessServiceSettings,
    hubSettings,
    eventHandlerTokenSettings,
    negotiateAuth == 'jwt' ? jwtSettings : {},
    easyAuthSettings,
    corsSettings,
    signalRSettings
  )
}

// App Service Authentication, on for NegotiateAuth=easyauth. Always deployed, with platform.enabled
// following the mode: a config resource left out of a deployment keeps its last value, so switching
// from easyauth to jwt would otherwise leave Authentication on. Anonymous requests are let through
// (AllowAnonymous): the event handler authenticates Web PubSub by its bearer token and the chat page
// is public; negotiate itself refuses requests without the x-ms-client-principal headers.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  dependsOn: [
    appSettings
  ]
  properties: {
    platform: {
      enabled: negotiateAuth == 'easyauth'
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    login: {
      tokenStore: {
        // Sessions work without the token store; the app never reads provider tokens.
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: entraIssuer
          clientId: appClientId
          clientSecretSettingName: appRegistrationCreated ? 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID' : null
        }
        validation: {
          allowedAudiences: [
            appClientId
            'api://${appClientId}'
          ]
        }
      }
    }
  }
}
