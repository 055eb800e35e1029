// Log Analytics + workspace-based Application Insights.
// Local (instrumentation-key) ingestion is disabled: the function app sends telemetry with its
// managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING=...Authorization=AAD) and needs the
// Monitoring Metrics Publisher role, granted in role-assignments.bicep.

param logAnalyticsName string
param appInsightsName string
param location string
param tags object

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    // 30 days is the retention included in the ingestion price.
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // With local auth off the instrumentation key in the connection string is not a credential:
    // ingestion requires a Microsoft Entra token.
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
// Not a secret while DisableLocalAuth is true (see above); the Functions host needs it to find the endpoint.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
