// Azure SignalR Service in Serverless mode, keyless: deployed when main.bicep's enableSignalR is true.
// Clients negotiate with the function app (/api/signalr/negotiate); the service sends their
// connections and invocations to the app's /api/signalr/events, and the app sends through the REST
// data plane (docs/signalr.md, docs/protocol/signalr.md §5, §6).

param name string
param location string
param tags object

@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param sku string

@description('Units: Free_F1 only allows 1; Standard_S1 and Premium_P1 allow 1-10, 20, 30 ... 100.')
param capacity int

@description('The upstream URL: the function app\'s /api/signalr/events (the X-ASRS-* headers carry hub, category and event).')
param upstreamUrl string

@description('Token audience (app registration client id) the service requests for the upstream.')
param upstreamAudience string

@description('Browser origins allowed to reach the client endpoint: the chat page\'s origin.')
param allowedOrigins array

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: sku
    capacity: capacity
  }
  // The service's own identity obtains the Microsoft Entra token it sends upstream (docs/protocol/signalr.md §6.4);
  // the app checks that token's oid against this identity's principal id (SignalRUpstreamTokenCallerObjectId).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    // No hub server: the app answers negotiate, receives upstream events and sends with REST.
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
    ]
    // docs/protocol/signalr.md §6.1: keys are deleted; the app authenticates with its identity only.
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
    cors: {
      allowedOrigins: allowedOrigins
    }
    upstream: {
      templates: [
        {
          hubPattern: '*'
          eventPattern: '*'
          categoryPattern: '*'
          urlTemplate: upstreamUrl
          // docs/protocol/signalr.md §6.4: a token of this service's identity with aud = resource; with
          // local auth disabled there is no X-ASRS-Signature, so the token is the only proof of origin.
          auth: {
            type: 'ManagedIdentity'
            managedIdentity: {
              resource: upstreamAudience
            }
          }
        }
      ]
    }
  }
}

output name string = signalR.name
output hostName string = signalR.properties.hostName
output principalId string = signalR.identity.principalId
