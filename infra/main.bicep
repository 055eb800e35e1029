// Azure Web PubSub + a Flex Consumption function app that negotiates, handles upstream events and
// publishes, keyless by default. Deploy with `azd up` (see docs/deploy.md).
//
// Subscription scope, as azd templates do: one resource group `rg-<environment>` per environment,
// so `azd down` removes every Azure resource (the app registration is a tenant object and stays).
// Dependency order (no cycles):
//   monitoring, storage, web-pubsub -> function-app (identity, plan, site)
//   -> role-assignments (the identity's roles) and app-registration (the site's host name, identity)
//   -> function-app-settings (the service, the app registration, and the roles in place) and web-pubsub-hub.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and seeds the resource name token.')
param environmentName string

// Regions that offer Flex Consumption, as in the official Flex Consumption quickstart
// (Azure-Samples/functions-quickstart-typescript-azd), without its early-access canary region
// (eastus2euap). Web PubSub is offered in each of them. `az functionapp list-flexconsumption-locations`
// prints the current list.
@minLength(1)
@description('Region for every resource; it must offer Flex Consumption and Web PubSub.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user (azd: AZURE_PRINCIPAL_ID). Gets the same data-plane roles as the app, for local runs against the cloud service. Empty: none.')
param principalId string = ''

@description('Kind of principal principalId is: User for a person running azd, ServicePrincipal for a pipeline.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

// Standard_S1 by default: a billed tier (per unit-day) whose features (managed identity, event-handler
// auth) are documented without caveats, with no one-free-instance-per-subscription limit to trip on.
@description('Web PubSub tier. Standard_S1: 1,000 concurrent connections per unit, billed per unit-day. Free_F1: 20 connections, 20,000 messages a day, no SLA, at most one per subscription and region.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param webPubSubSku string = 'Standard_S1'

@description('Web PubSub units: Free_F1 allows only 1; Standard_S1 and Premium_P1 1-10, 20, 30 ... 100.')
param webPubSubCapacity int = 1

@description('Hub the event handler is configured for; the app\'s WebPubSubHub.')
param hubName string = 'chat'

// Off by default: a second billed service. On, the same app also serves @microsoft/signalr clients
// (docs/signalr.md), keyless whatever useAccessKeys says.
@description('Also deploy Azure SignalR Service (Serverless mode, keyless, upstream to /api/signalr/events) and configure the app for it.')
param enableSignalR bool = false

@description('SignalR Service tier (with enableSignalR). Standard_S1: 1,000 concurrent connections per unit. Free_F1: 20 connections, 20,000 messages a day, at most one per subscription.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param signalRSku string = 'Standard_S1'

@description('SignalR Service units: Free_F1 allows only 1; Standard_S1 and Premium_P1 1-10, 20, 30 ... 100.')
param signalRCapacity int = 1

@description('Group presence events ("joined", "left") the hub\'s code handles; test/unit/infra keeps this in step with the hub definition (onGroupJoined / onGroupLeft).')
param hubGroupPresenceEvents array = []

@description('Opt in to access keys: enables local auth and puts a connection string (a secret) into the app settings. Default keyless.')
param useAccessKeys bool = false

@description('How negotiate authenticates callers in Azure ("dev" is refused there). easyauth: App Service Authentication with the app registration. jwt: bearer tokens, by default Microsoft Entra tokens of this tenant for the app registration.')
@allowed([
  'easyauth'
  'jwt'
])
param negotiateAuth string = 'easyauth'

@description('Client id of an existing app registration to use instead of creating one (for deployers who may not create app registrations). It must have a service principal; for easyauth, a redirect URI https://<app host>/.auth/login/aad/callback and ID token issuance.')
param appClientId string = ''

@description('jwt only: token issuer. Default: this tenant\'s Microsoft Entra v2 issuer.')
param negotiateJwtIssuer string = ''

@description('jwt only: token audience. Default: the app registration\'s client id.')
param negotiateJwtAudience string = ''

@description('jwt only: JWKS URL. Default: this tenant\'s Microsoft Entra signing keys.')
param negotiateJwtJwksUrl string = ''

@description('jwt only: claim holding the user id. Empty: the app default (sub).')
param negotiateJwtUserClaim string = ''

@description('Browser origins allowed to call the API cross-origin. Empty: none (the chat page is served from the same origin).')
param corsAllowedOrigins string = ''

@allowed([
  '20'
  '22'
])
param nodeVersion string = '22'

@description('Memory per instance; CPU scales with it. Flex Consumption bills GB-seconds of execution.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
// Must match the service name in azure.yaml (azd finds the deploy target by the azd-service-name tag).
var serviceName = 'api'
var functionAppName = '${abbrs.webSitesFunctions}${serviceName}-${resourceToken}'
var createAppRegistration = empty(appClientId)

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(resourceToken, 7)}'
  }
}

module webPubSub 'modules/web-pubsub.bicep' = {
  name: 'web-pubsub'
  scope: rg
  params: {
    name: '${abbrs.signalRServiceWebPubSub}${resourceToken}'
    location: location
    tags: tags
    sku: webPubSubSku
    capacity: webPubSubCapacity
    enableLocalAuth: useAccessKeys
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    identityName: '${abbrs.managedIdentityUserAssignedIdentities}${serviceName}-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    nodeVersion: nodeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

// App Service Authentication's sign-in callback on the function app.
var signInRedirectUri = 'https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback'

module appRegistration 'modules/app-registration.bicep' = if (createAppRegistration) {
  name: 'app-registration'
  scope: rg
  params: {
    uniqueName: '${abbrs.entraApplications}${serviceName}-${resourceToken}'
    displayName: 'Web PubSub serverless (${environmentName})'
    redirectUri: signInRedirectUri
    federatedIdentityPrincipalId: functionApp.outputs.identityPrincipalId
  }
}

var effectiveAppClientId = createAppRegistration ? appRegistration!.outputs.appId : appClientId

// After the function app (its host name is the upstream) and the app registration (the upstream
// token's audience); before the app settings, which need its host name and identity.
module signalR 'modules/signalr.bicep' = if (enableSignalR) {
  name: 'signalr'
  scope: rg
  params: {
    name: '${abbrs.signalRServiceSignalR}${resourceToken}'
    location: location
    tags: tags
    sku: signalRSku
    capacity: signalRCapacity
    // host.json routePrefix 'api' + functions/routes.ts signalrEvents; test/unit/infra keeps them in step.
    upstreamUrl: 'https://${functionApp.outputs.defaultHostName}/api/signalr/events'
    upstreamAudience: effectiveAppClientId
    allowedOrigins: [
      'https://${functionApp.outputs.defaultHostName}'
    ]
  }
}

module appSignalRRoles 'modules/signalr-role-assignment.bicep' = if (enableSignalR) {
  name: 'signalr-role-assignment-app'
  scope: rg
  params: {
    principalId: functionApp.outputs.identityPrincipalId
    principalType: 'ServicePrincipal'
    signalRName: signalR!.outputs.name
  }
}

module userSignalRRoles 'modules/signalr-role-assignment.bicep' = if (enableSignalR && !empty(principalId)) {
  name: 'signalr-role-assignment-user'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    signalRName: signalR!.outputs.name
  }
}

module functionAppSettings 'modules/function-app-settings.bicep' = {
  name: 'function-app-settings'
  scope: rg
  // The settings restart the app with its keyless configuration: only once its identity holds its
  // roles (Web PubSub Service Owner, storage, telemetry), so its first start does not meet a 403.
  dependsOn: [
    appRoles
    appSignalRRoles
  ]
  params: {
    functionAppName: functionApp.outputs.name
    identityClientId: functionApp.outputs.identityClientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    webPubSubName: webPubSub.outputs.name
    webPubSubHostName: webPubSub.outputs.hostName
    webPubSubPrincipalId: webPubSub.outputs.principalId
    hubName: hubName
    useAccessKeys: useAccessKeys
    negotiateAuth: negotiateAuth
    appClientId: effectiveAppClientId
    appRegistrationCreated: createAppRegistration
    negotiateJwtIssuer: negotiateJwtIssuer
    negotiateJwtAudience: negotiateJwtAudience
    negotiateJwtJwksUrl: negotiateJwtJwksUrl
    negotiateJwtUserClaim: negotiateJwtUserClaim
    corsAllowedOrigins: corsAllowedOrigins
    enableSignalR: enableSignalR
    signalRHostName: enableSignalR ? signalR!.outputs.hostName : ''
    signalRPrincipalId: enableSignalR ? signalR!.outputs.principalId : ''
    signalRHubName: hubName
  }
}

module webPubSubHub 'modules/web-pubsub-hub.bicep' = {
  name: 'web-pubsub-hub'
  scope: rg
  params: {
    webPubSubName: webPubSub.outputs.name
    hubName: hubName
    functionAppName: functionApp.outputs.name
    eventHandlerAudience: effectiveAppClientId
    groupPresenceEvents: hubGroupPresenceEvents
  }
}

module appRoles 'modules/role-assignments.bicep' = {
  name: 'role-assignments-app'
  scope: rg
  params: {
    principalId: functionApp.outputs.identityPrincipalId
    principalType: 'ServicePrincipal'
    webPubSubName: webPubSub.outputs.name
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module userRoles 'modules/role-assignments.bicep' = if (!empty(principalId)) {
  name: 'role-assignments-user'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    webPubSubName: webPubSub.outputs.name
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

var functionAppUrl = 'https://${functionApp.outputs.defaultHostName}'

// azd conventions.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionAppUrl

// The deployed app. None of these is a secret.
output FUNCTION_APP_URL string = functionAppUrl
output NEGOTIATE_URL string = '${functionAppUrl}/api/negotiate'
output CHAT_PAGE_URL string = '${functionAppUrl}/api/chat/'
output EVENT_HANDLER_URL string = '${functionAppUrl}/api/eventhandler'
output WEB_PUBSUB_NAME string = webPubSub.outputs.name
output WEB_PUBSUB_HOSTNAME string = webPubSub.outputs.hostName
output WEB_PUBSUB_HUB string = hubName
output APP_REGISTRATION_CLIENT_ID string = effectiveAppClientId
// The sign-in callback of App Service Authentication. With APP_CLIENT_ID (an app registration made by
// an admin), the admin must add it to that registration's Web redirect URIs (docs: deploy notes).
output APP_REGISTRATION_REDIRECT_URI string = signInRedirectUri
// When the function app's role assignments were created: the postprovision hook
// (infra/hooks/wait-for-role-assignments.cjs) waits until they have had time to apply.
output APP_ROLE_ASSIGNMENTS_CREATED_ON string = enableSignalR ? '${appRoles.outputs.createdOn},${appSignalRRoles!.outputs.createdOn}' : (appRoles.outputs.createdOn)
// With enableSignalR: the SignalR Service host name (empty otherwise) and the hub URL for @microsoft/signalr.
output SIGNALR_HOSTNAME string = enableSignalR ? signalR!.outputs.hostName : ''
output SIGNALR_HUB_URL string = enableSignalR ? '${functionAppUrl}/api/signalr' : ''
