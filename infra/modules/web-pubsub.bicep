// The Web PubSub service. Its hub and event handler live in web-pubsub-hub.bicep, because the
// handler URL needs the function app's host name while the function app's settings need this
// service's host name and identity: splitting them keeps the deployment free of cycles.

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

@description('Keep false: with local auth disabled the access keys are deleted and only Microsoft Entra identities can call the service (docs/protocol/auth.md §1.2).')
param enableLocalAuth bool

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'WebPubSub'
  sku: {
    name: sku
    capacity: capacity
  }
  // The service's own identity obtains the Microsoft Entra token it sends to the event handler
  // (docs/protocol/cloud-events.md §9); the app checks that token's oid against this identity's principal id.
  // Web PubSub supports a single identity, so system-assigned is the simple choice.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    disableLocalAuth: !enableLocalAuth
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

output name string = webPubSub.name
output hostName string = webPubSub.properties.hostName
output principalId string = webPubSub.identity.principalId
