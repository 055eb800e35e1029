// Flex Consumption plan, the function app and its user-assigned identity.
// App settings and App Service Authentication are applied by function-app-settings.bicep once the
// Web PubSub service and the app registration exist (they need this app's host name and identity).

param name string
param planName string
param identityName string
param location string
param tags object

@description('Must match the service name in azure.yaml: azd finds the app to deploy to by this tag.')
param serviceName string

@description('Blob container URL Flex Consumption deploys the package into.')
param deploymentContainerUrl string

@allowed([
  '20'
  '22'
])
param nodeVersion string

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

// A user-assigned identity (rather than system-assigned) exists before the site, so its roles and the
// app registration's federated credential can be created without waiting for the site, and it
// survives the app being deleted and re-created.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Flex Consumption is Linux only.
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          // The storage account has no keys, so the platform reads the package with the identity.
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

output name string = site.name
// Apps may get a regional host name (<name>-<hash>.<region>-01.azurewebsites.net), so every URL is
// built from this value, never from '<name>.azurewebsites.net'.
output defaultHostName string = site.properties.defaultHostName
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
