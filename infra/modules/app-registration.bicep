extension microsoftGraphV1

// One Microsoft Entra app registration serves two purposes:
//  1. the audience of the token Web PubSub sends to the event handler (the hub's
//     auth.managedIdentity.resource, the app's EventHandlerTokenAudience), and
//  2. the sign-in app of App Service Authentication when NegotiateAuth is easyauth (and the token
//     audience when it is jwt).
// A dedicated app gives the upstream token an audience that nothing else in the tenant requests,
// which an existing resource (Microsoft Graph, the app's own identity) cannot.

@description('Immutable key Microsoft Graph uses to make the deployment idempotent.')
param uniqueName string
param displayName string

@description('Sign-in callback of App Service Authentication on the function app.')
param redirectUri string

@description('Principal (object) id of the function app identity, trusted as a federated credential so sign-in needs no client secret.')
param federatedIdentityPrincipalId string

var issuer = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

resource app 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  api: {
    // v2 tokens carry aud = this app's client id and iss = <login endpoint>/<tenant>/v2.0,
    // which is what the app is configured to expect (EventHandlerTokenIssuer).
    requestedAccessTokenVersion: 2
  }
  web: {
    redirectUris: [
      redirectUri
    ]
    implicitGrantSettings: {
      // App Service Authentication asks for an ID token with the authorization code.
      enableIdTokenIssuance: true
    }
  }
}

// App Service Authentication's client credential: a token of the function app's user-assigned
// identity, exchanged through this trust (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID); no secret exists.
resource federatedCredential 'Microsoft.Graph/applications/federatedIdentityCredentials@v1.0' = {
  name: '${app.uniqueName}/function-app-identity'
  audiences: [
    'api://AzureADTokenExchange'
  ]
  issuer: issuer
  subject: federatedIdentityPrincipalId
}

// A service principal makes the app usable in this tenant: sign-in, and managed-identity tokens
// requested for it by Web PubSub.
resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: app.appId
}

output appId string = app.appId
