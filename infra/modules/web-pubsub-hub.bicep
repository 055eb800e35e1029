// The hub and its single event handler: every user event and the connect, connected and
// disconnected system events go to the function app's event handler route, and the group presence
// events the hub code handles (none unless it defines onGroupJoined / onGroupLeft).

param webPubSubName string
param hubName string
param functionAppName string

@description('Token audience (app registration client id) Web PubSub requests for the event handler.')
param eventHandlerAudience string

@description('Group presence events the hub code handles ("joined", "left"): groupPresenceEventNames() of its hub definition. Empty: the service sends none.')
param groupPresenceEvents array = []

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    // Clients need a token from negotiate.
    anonymousConnectPolicy: 'deny'
    eventHandlers: [
      {
        // host.json routePrefix 'api' + functions/routes.ts eventHandler; test/unit/infra keeps them in step.
        // defaultHostName, not '<name>.azurewebsites.net': new apps can get regional host names.
        urlTemplate: 'https://${functionApp.properties.defaultHostName}/api/eventhandler'
        userEventPattern: '*'
        // docs/protocol/cloud-events.md §1: disconnected is only delivered when listed.
        systemEvents: [
          'connect'
          'connected'
          'disconnected'
        ]
        // docs/protocol/cloud-events.md §9: the service sends a Microsoft Entra token of its managed identity with
        // aud = resource; with local auth disabled this token is the event's only proof of origin.
        auth: {
          type: 'ManagedIdentity'
          managedIdentity: {
            resource: eventHandlerAudience
          }
        }
        // docs/protocol/client-sdk-features.md §5: only the events the hub handles, from every group;
        // null (no presence events) unless the hub code handles some.
        groupPresenceEvents: empty(groupPresenceEvents) ? null : { eventNames: groupPresenceEvents }
      }
    ]
  }
}
