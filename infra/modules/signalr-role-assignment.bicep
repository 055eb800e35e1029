// The SignalR data-plane role for one principal (the function app's identity, or the deploying user).
// SignalR Service Owner, as the docs advise for a Serverless negotiate server: it needs the REST API
// (send, groups) and the auth API (the temporary access key that signs client tokens), which no
// narrower built-in role grants together (docs/protocol/signalr.md §6.3).

param principalId string

@allowed([
  'ServicePrincipal'
  'User'
])
param principalType string

param signalRName string

// Built-in role definition id.
var roles = {
  signalRServiceOwner: '7e4f1700-ea5a-4f59-8f37-079cfe29dce3'
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

resource signalROwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, principalId, roles.signalRServiceOwner)
  scope: signalR
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.signalRServiceOwner)
  }
}

output createdOn string = signalROwner.properties.createdOn
