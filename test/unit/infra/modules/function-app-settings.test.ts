/**
 * The function app's settings as Bicep would deploy them, checked against the app's own config
 * module: every name is one the app (or the platform) reads, and loadConfig accepts the whole set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '../../../../functions/routes';
import { KNOWN_SETTINGS, PLATFORM_SETTINGS, isKnownSetting, loadConfig } from '../../../../shared/config/app-config';
import { ConfigError } from '../../../../shared/http/errors';
import {
  concretize,
  evaluate,
  isObjectValue,
  modules,
  outputs,
  prop,
  resources,
  scopeOf,
  symbolicSources,
  TemplateValue,
  Symbolic,
  type Value,
} from '../../../support/infra/bicep-tree';
import { loadInfra, repoRoot, type Infra } from '../../../support/infra/infra-files';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

// Stand-ins for values known only at deploy time, keyed by the Bicep that produces them. Distinct
// GUIDs, so equal settings prove a common source. A new deploy-time value fails concretize() until
// it is added here.
const TENANT = '11111111-1111-4111-8111-111111111111';
const APP_IDENTITY_CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const WPS_PRINCIPAL_ID = '33333333-3333-4333-8333-333333333333';
const APP_REGISTRATION_ID = '44444444-4444-4444-8444-444444444444';
const GIVEN_APP_CLIENT_ID = '55555555-5555-4555-8555-555555555555';
const WPS_HOST = 'wps-test.webpubsub.azure.com';
const FUNCTION_HOST = 'func-api-test-abc123.eastus-01.azurewebsites.net';
const PLACEHOLDERS: Record<string, string> = {
  'functionApp.outputs.name': 'func-api-test',
  'functionApp.outputs.identityClientId': APP_IDENTITY_CLIENT_ID,
  'storage.outputs.blobEndpoint': 'https://sttest.blob.core.windows.net/',
  'monitoring.outputs.appInsightsConnectionString':
    'InstrumentationKey=66666666-6666-4666-8666-666666666666;IngestionEndpoint=https://eastus-8.in.applicationinsights.azure.com/',
  'webPubSub.outputs.name': 'wps-test',
  'webPubSub.outputs.hostName': WPS_HOST,
  'webPubSub.outputs.principalId': WPS_PRINCIPAL_ID,
  'appRegistration!.outputs.appId': APP_REGISTRATION_ID,
  'tenant().tenantId': TENANT,
  'environment().authentication.loginEndpoint': 'https://login.microsoftonline.com/',
  'functionApp.properties.defaultHostName': FUNCTION_HOST,
  'signalR!.outputs.hostName': 'sigr-test.service.signalr.net',
  'signalR!.outputs.principalId': '77777777-7777-4777-8777-777777777777',
  'webPubSub.listKeys().primaryConnectionString': `Endpoint=https://${WPS_HOST};AccessKey=${'k'.repeat(44)};Version=1.0;`,
};

/** Main-level parameter overrides for each scenario (everything else: main.bicep's defaults). */
const SCENARIOS: Record<string, Record<string, Value>> = {
  'defaults (keyless, easyauth, created app registration)': {},
  'jwt with Entra defaults': { negotiateAuth: 'jwt' },
  'access keys (opt-in)': { useAccessKeys: true },
  'existing app registration': { appClientId: GIVEN_APP_CLIENT_ID },
  'SignalR Service too (enableSignalR)': { enableSignalR: true },
  'SignalR Service with access keys for Web PubSub': { enableSignalR: true, useAccessKeys: true },
  'jwt with a custom issuer and CORS': {
    negotiateAuth: 'jwt',
    negotiateJwtIssuer: 'https://issuer.example.com/',
    negotiateJwtAudience: 'api://chat',
    negotiateJwtJwksUrl: 'https://issuer.example.com/.well-known/jwks.json',
    negotiateJwtUserClaim: 'oid',
    corsAllowedOrigins: 'https://chat.example.com',
  },
};

function moduleArgs(moduleSymbol: string, given: Record<string, Value>): Record<string, Value> {
  const main = infra.file('main.bicep');
  const m = modules(main.root).find((x) => x.symbol === moduleSymbol)!;
  return evaluate(prop(m.body, 'params')!, scopeOf(main, given)) as Record<string, Value>;
}

/** The appsettings object function-app-settings.bicep deploys, before and after placeholders. */
function appSettings(given: Record<string, Value>): { raw: Record<string, Value>; env: Record<string, string> } {
  const mod = infra.file('modules/function-app-settings.bicep');
  const config = resources(mod.root).filter((r) => r.type === 'Microsoft.Web/sites/config');
  const settingsResource = config.find((r) => evaluate(prop(r.body, 'name')!, scopeOf(mod)) === 'appsettings');
  if (!settingsResource) throw new Error('no sites/config appsettings resource');
  const raw = evaluate(prop(settingsResource.body, 'properties')!, scopeOf(mod, moduleArgs('functionAppSettings', given)));
  if (!isObjectValue(raw)) throw new Error(`appsettings properties are not an object: ${String(raw)}`);
  const env = concretize(raw, PLACEHOLDERS) as Record<string, Value>;
  for (const [k, v] of Object.entries(env)) if (typeof v !== 'string') throw new Error(`${k} is not a string: ${JSON.stringify(v)}`);
  return { raw, env: env as Record<string, string> };
}

function hubEventHandler(given: Record<string, Value>): Record<string, Value> {
  const mod = infra.file('modules/web-pubsub-hub.bicep');
  const hub = resources(mod.root).find((r) => r.type === 'Microsoft.SignalRService/webPubSub/hubs')!;
  const handlers = evaluate(prop(hub.body, 'properties.eventHandlers')!, scopeOf(mod, moduleArgs('webPubSubHub', given))) as Value[];
  return handlers[0] as Record<string, Value>;
}

/** The sites/config authsettingsV2 resource: whether it deploys, and its properties, for a scenario. */
function authSettings(given: Record<string, Value>): { deployed: boolean; value: Record<string, Value> } {
  const mod = infra.file('modules/function-app-settings.bicep');
  const r = resources(mod.root).find((x) => x.type === 'Microsoft.Web/sites/config' && evaluate(prop(x.body, 'name')!, scopeOf(mod)) === 'authsettingsV2')!;
  const scope = scopeOf(mod, moduleArgs('functionAppSettings', given));
  const deployed = r.condition ? evaluate(r.condition, scope) : true;
  if (typeof deployed !== 'boolean') throw new Error(`authsettingsV2 condition is not known before deployment: ${r.condition!.text}`);
  return { deployed, value: concretize(evaluate(prop(r.body, 'properties')!, scope), PLACEHOLDERS) as Record<string, Value> };
}

/**
 * What the app sees in Azure: its app settings plus what App Service adds. WEBSITE_SITE_NAME is
 * always set; WEBSITE_AUTH_ENABLED=True only when App Service Authentication is on, which here
 * means the authsettingsV2 resource deploys with platform.enabled.
 */
function runtimeEnv(given: Record<string, Value>): Record<string, string> {
  const auth = authSettings(given);
  const authOn = auth.deployed && (auth.value.platform as Record<string, Value> | undefined)?.enabled === true;
  return { ...appSettings(given).env, WEBSITE_SITE_NAME: 'func-api-test', ...(authOn ? { WEBSITE_AUTH_ENABLED: 'True' } : {}) };
}

describe.each(Object.entries(SCENARIOS))('%s', (_name, given) => {
  test('every setting is one the app reads (KNOWN_SETTINGS) or a platform setting', () => {
    const { env } = appSettings(given);
    const unknown = Object.keys(env).filter((k) => !isKnownSetting(k) && !PLATFORM_SETTINGS.includes(k));
    expect(unknown).toEqual([]);
  });

  test('loadConfig accepts the settings as deployed (WEBSITE_SITE_NAME set)', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig(runtimeEnv(given));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = e.problems;
    }
    expect(problems).toEqual([]);
  });

  test('the event-handler token settings match the hub: audience = auth resource, caller = service identity, tenant', () => {
    const config = loadConfig(runtimeEnv(given));
    const handler = concretize(hubEventHandler(given), PLACEHOLDERS) as Record<string, Record<string, Record<string, string>>>;
    expect(handler.auth!.type).toBe('ManagedIdentity');
    expect(config.eventHandlerToken?.audience).toBe(handler.auth!.managedIdentity!.resource);
    expect(config.eventHandlerToken?.callerObjectId).toBe(WPS_PRINCIPAL_ID);
    expect(config.eventHandlerToken?.tenantId).toBe(TENANT);
    // The service endpoint (hence the accepted WebHook-Request-Origin) is the Web PubSub host.
    expect(config.service.endpoint).toBe(`https://${WPS_HOST}`);
    expect(config.eventHandlerAllowedOrigins[0]).toBe(WPS_HOST);
    expect(config.defaultHub).toBe('chat');
    expect(config.hostedInAzure).toBe(true);
  });

  test('platform settings: identity-based host storage and Entra-authenticated telemetry, no storage key', () => {
    const { env } = appSettings(given);
    expect(env.AzureWebJobsStorage__credential).toBe('managedidentity');
    expect(env.AzureWebJobsStorage__clientId).toBe(APP_IDENTITY_CLIENT_ID);
    expect(env.AzureWebJobsStorage__blobServiceUri).toBe('https://sttest.blob.core.windows.net/');
    expect(env.AzureWebJobsStorage).toBeUndefined();
    expect(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(`ClientId=${APP_IDENTITY_CLIENT_ID};Authorization=AAD`);
    // Flex Consumption deprecates these; the runtime comes from functionAppConfig.
    for (const k of ['FUNCTIONS_WORKER_RUNTIME', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'WEBSITE_CONTENTSHARE']) {
      expect(env[k]).toBeUndefined();
    }
  });

  test('no secret in the settings unless access keys were opted into', () => {
    const { raw } = appSettings(given);
    const keyMode = given.useAccessKeys === true;
    for (const [k, v] of Object.entries(raw)) {
      const fromListCall = symbolicSources(v).some((s) => /\blist\w*\(/.test(s));
      expect({ setting: k, fromListCall }).toEqual({ setting: k, fromListCall: keyMode && k === 'WebPubSubConnectionString' });
      // APPLICATIONINSIGHTS_CONNECTION_STRING: no credential while the component has DisableLocalAuth.
      if (k === 'APPLICATIONINSIGHTS_CONNECTION_STRING' || (keyMode && k === 'WebPubSubConnectionString')) continue;
      expect({ setting: k, secretLike: /secret|password|accesskey|connectionstring$/i.test(k) }).toEqual({ setting: k, secretLike: false });
      expect({ setting: k, literalKey: typeof v === 'string' && /AccessKey=|SharedAccessKey|AccountKey=/i.test(v) }).toEqual({ setting: k, literalKey: false });
    }
    expect(raw.NegotiateJwtSecret).toBeUndefined();
  });
});

describe('mode-specific settings', () => {
  test('defaults: keyless endpoint with the app identity, easyauth, v2 issuer of the created app registration', () => {
    const { env } = appSettings({});
    const config = loadConfig(runtimeEnv({}));
    expect(config.service.keyless).toBe(true);
    // Least privilege in Azure too: client tokens grant no direct group send or join.
    expect(env.WebPubSubRoles).toBe('none');
    expect(config.hubs.map((h) => h.roles)).toEqual([[]]);
    expect(config.service.managedIdentityClientId).toBe(APP_IDENTITY_CLIENT_ID);
    expect(env.WebPubSubConnectionString).toBeUndefined();
    expect(config.negotiateAuth.mode).toBe('easyauth');
    expect(config.eventHandlerToken?.audience).toBe(APP_REGISTRATION_ID);
    expect(config.eventHandlerToken?.issuers).toEqual([`https://login.microsoftonline.com/${TENANT}/v2.0`]);
    expect(config.eventHandlerToken?.jwksUrl).toBe(`https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
    expect(env.OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID).toBe(APP_IDENTITY_CLIENT_ID);
  });

  test('every app setting the app knows is either set by default or deliberately left to the app default', () => {
    const { env } = appSettings({});
    // Optional settings with app-side defaults, or only used in other modes.
    const leftToDefaults = [
      'WebPubSubConnectionString', // key mode only
      'WebPubSubSecondaryAccessKey', // key mode, rotation only
      'WebPubSubRoles__<hub>',
      'WebPubSubGroups',
      'WebPubSubGroups__<hub>',
      'WebPubSubTokenLifetimeMinutes', // default 60
      'NegotiateJwtJwksUrl', // jwt mode only
      'NegotiateJwtSecret', // never: a secret
      'NegotiateJwtIssuer',
      'NegotiateJwtAudience',
      'NegotiateJwtUserClaim',
      'CorsAllowedOrigins', // same-origin chat page
      'EventHandlerAllowedOrigins', // the service endpoint's host is always allowed
      'AzureSignalRConnectionString', // SignalR is keyless whenever deployed
      'AzureSignalRSecondaryAccessKey',
      // Azure SignalR Service is deployed only with enableSignalR (see the test below).
      'AzureSignalRConnectionString__serviceUri',
      'AzureSignalRConnectionString__clientId',
      'SignalRUpstreamTokenTenantId',
      'SignalRUpstreamTokenAudience',
      'SignalRUpstreamTokenCallerObjectId',
      'SignalRUpstreamTokenJwksUrl',
      'SignalRUpstreamTokenIssuer',
      'SignalRHub',
      'ChatService', // default webpubsub: the chat page on Web PubSub
    ];
    const notSet = KNOWN_SETTINGS.filter((k) => env[k] === undefined);
    expect(notSet.sort()).toEqual([...leftToDefaults].sort());
  });

  test('enableSignalR: the keyless SignalR settings, the upstream token checked against the SignalR identity', () => {
    const { env } = appSettings({ enableSignalR: true });
    expect(env).toMatchObject({
      AzureSignalRConnectionString__serviceUri: 'https://sigr-test.service.signalr.net',
      AzureSignalRConnectionString__clientId: APP_IDENTITY_CLIENT_ID,
      SignalRHub: 'chat',
      SignalRUpstreamTokenTenantId: TENANT,
      SignalRUpstreamTokenAudience: APP_REGISTRATION_ID,
      SignalRUpstreamTokenCallerObjectId: '77777777-7777-4777-8777-777777777777',
      SignalRUpstreamTokenJwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      SignalRUpstreamTokenIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    });
    expect(env).not.toHaveProperty('AzureSignalRConnectionString');
    const config = loadConfig(runtimeEnv({ enableSignalR: true }));
    // SignalR's own settings, with the same tenant, audience and keys as the Web PubSub upstream: one app registration, one authority.
    expect(config.signalr).toMatchObject({
      keyless: true,
      upstreamToken: { tenantId: TENANT, audience: APP_REGISTRATION_ID, callerObjectId: '77777777-7777-4777-8777-777777777777' },
    });
    expect(config.eventHandlerToken).toMatchObject({ tenantId: TENANT, audience: APP_REGISTRATION_ID });
    expect(config.signalr?.upstreamToken?.issuers).toEqual(config.eventHandlerToken?.issuers);
    expect(config.signalr?.upstreamToken?.jwksUrl).toBe(config.eventHandlerToken?.jwksUrl);
  });

  test('enableSignalR with an existing app registration: SignalR accepts both Entra issuers, like the event handler', () => {
    const { env } = appSettings({ enableSignalR: true, appClientId: GIVEN_APP_CLIENT_ID });
    expect(env.SignalRUpstreamTokenIssuer).toBeUndefined();
    expect(env.SignalRUpstreamTokenAudience).toBe(GIVEN_APP_CLIENT_ID);
    expect(loadConfig(runtimeEnv({ enableSignalR: true, appClientId: GIVEN_APP_CLIENT_ID })).signalr?.upstreamToken?.issuers).toHaveLength(2);
  });

  test('jwt: Microsoft Entra tokens of the tenant for the app registration by default', () => {
    const config = loadConfig(runtimeEnv({ negotiateAuth: 'jwt' }));
    expect(config.negotiateAuth).toEqual({
      mode: 'jwt',
      jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audience: APP_REGISTRATION_ID,
      userClaim: 'sub',
    });
  });

  test('jwt: issuer, audience, JWKS, user claim and CORS parameters reach the app', () => {
    const config = loadConfig(runtimeEnv(SCENARIOS['jwt with a custom issuer and CORS']!));
    expect(config.negotiateAuth).toEqual({
      mode: 'jwt',
      jwksUrl: 'https://issuer.example.com/.well-known/jwks.json',
      issuer: 'https://issuer.example.com/',
      audience: 'api://chat',
      userClaim: 'oid',
    });
    expect(config.corsAllowedOrigins).toEqual(['https://chat.example.com']);
  });

  test('access keys: connection string from listKeys(), no keyless endpoint or identity client id', () => {
    const { raw, env } = appSettings({ useAccessKeys: true });
    expect(symbolicSources(raw.WebPubSubConnectionString!)).toEqual(['webPubSub.listKeys().primaryConnectionString']);
    expect(env.WebPubSubConnectionString__serviceUri).toBeUndefined();
    expect(env.WebPubSubConnectionString__clientId).toBeUndefined();
    const config = loadConfig(runtimeEnv({ useAccessKeys: true }));
    expect(config.service.keyless).toBe(false);
    // The hub still sends a managed-identity token; the app checks it as well as ce-signature.
    expect(config.eventHandlerToken?.audience).toBe(APP_REGISTRATION_ID);
  });

  test('existing app registration: its client id everywhere, no federated-credential setting, both Entra issuers accepted', () => {
    const { env } = appSettings({ appClientId: GIVEN_APP_CLIENT_ID });
    const config = loadConfig(runtimeEnv({ appClientId: GIVEN_APP_CLIENT_ID }));
    expect(config.eventHandlerToken?.audience).toBe(GIVEN_APP_CLIENT_ID);
    expect(env.OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID).toBeUndefined();
    expect(env.EventHandlerTokenIssuer).toBeUndefined();
    expect(config.eventHandlerToken?.issuers).toHaveLength(2);
  });

  test('"dev" negotiate auth cannot be chosen: main.bicep allows only easyauth and jwt', () => {
    const main = infra.file('main.bicep');
    const negotiateAuth = scopeOf(main).params.negotiateAuth;
    expect(negotiateAuth).toBe('easyauth');
    expect(main.source).toMatch(/@allowed\(\[\s*'easyauth'\s*'jwt'\s*\]\)\s*param negotiateAuth string/);
    // And the app itself refuses dev in Azure, so the allowed list is the only way in.
    expect(() => loadConfig({ ...runtimeEnv({}), NegotiateAuth: 'dev' })).toThrow(ConfigError);
  });

  test('easyauth is only accepted because App Service Authentication is deployed with it', () => {
    // Without the platform's WEBSITE_AUTH_ENABLED the app fails closed (forged principal headers).
    const { WEBSITE_AUTH_ENABLED, ...withoutAuth } = runtimeEnv({});
    expect(WEBSITE_AUTH_ENABLED).toBe('True');
    expect(() => loadConfig(withoutAuth)).toThrow(/WEBSITE_AUTH_ENABLED/);
    expect(authSettings({ negotiateAuth: 'jwt' }).value.platform).toEqual({ enabled: false });
  });
});

describe('EasyAuth configuration', () => {
  test('always deployed (switching to jwt turns it off instead of leaving it on), on only for easyauth, letting anonymous requests reach the app', () => {
    expect(authSettings({}).deployed).toBe(true);
    expect(authSettings({ negotiateAuth: 'jwt' }).deployed).toBe(true);
    expect(authSettings({}).value.platform).toEqual({ enabled: true });
    expect(authSettings({ negotiateAuth: 'jwt' }).value.platform).toEqual({ enabled: false });
    expect(authSettings({}).value.globalValidation).toEqual({ requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' });
  });

  test('Microsoft provider with the app registration, keyless client credential, accepting the upstream token audience', () => {
    const aad = (authSettings({}).value.identityProviders as Record<string, Record<string, Record<string, Value>>>).azureActiveDirectory!;
    expect(aad.registration).toEqual({
      openIdIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      clientId: APP_REGISTRATION_ID,
      clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
    });
    // The upstream token (aud = client id) passes EasyAuth's own validation.
    expect(aad.validation!.allowedAudiences).toContain(APP_REGISTRATION_ID);
    const { env } = appSettings({});
    expect(Object.keys(env)).toContain(aad.registration!.clientSecretSettingName);
  });

  test('the setting it names for its client credential exists in every mode, so switching modes leaves nothing dangling', () => {
    for (const negotiateAuth of ['easyauth', 'jwt']) {
      const aad = (authSettings({ negotiateAuth }).value.identityProviders as Record<string, Record<string, Record<string, Value>>>).azureActiveDirectory!;
      const name = aad.registration!.clientSecretSettingName as string;
      expect(Object.keys(appSettings({ negotiateAuth }).env)).toContain(name);
    }
  });
});

describe('routes', () => {
  const routePrefix = (JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8')) as { extensions: { http: { routePrefix: string } } }).extensions.http
    .routePrefix;

  test('the hub event handler URL is https://<function app defaultHostName>/<routePrefix>/<eventHandler route>', () => {
    const url = hubEventHandler({}).urlTemplate!;
    expect(url).toBeInstanceOf(TemplateValue);
    // The host comes from the site's defaultHostName (regional host names), not from its name.
    const template = url as TemplateValue;
    expect(template.parts[0]).toBe('https://');
    expect((template.parts[1] as Symbolic).expr).toBe('functionApp.properties.defaultHostName');
    const mod = infra.file('modules/web-pubsub-hub.bicep');
    const site = resources(mod.root).find((r) => r.symbol === 'functionApp')!;
    expect(site.type).toBe('Microsoft.Web/sites');
    expect(site.existing).toBe(true);
    expect(String(moduleArgs('webPubSubHub', {}).functionAppName)).toBe('<functionApp.outputs.name>');
    const concrete = new URL(concretize(url, PLACEHOLDERS) as string);
    expect(concrete.host).toBe(FUNCTION_HOST);
    expect(concrete.pathname).toBe(`/${routePrefix}/${routes.eventHandler}`);
  });

  test('output URLs use the same host and the app routes', () => {
    const main = infra.file('main.bicep');
    const scope = scopeOf(main);
    const placeholders = { ...PLACEHOLDERS, 'functionApp.outputs.defaultHostName': FUNCTION_HOST };
    const out = Object.fromEntries(outputs(main.root).map((o) => [o.name, evaluate(o.value, scope)]));
    const path = (name: string): string => new URL(concretize(out[name]!, placeholders) as string).pathname;
    expect(path('NEGOTIATE_URL')).toBe(`/${routePrefix}/${routes.negotiate}`);
    expect(path('EVENT_HANDLER_URL')).toBe(`/${routePrefix}/${routes.eventHandler}`);
    expect(path('CHAT_PAGE_URL')).toBe(`/${routePrefix}/${routes.chatPage.replace('{*path}', '')}`);
    expect(concretize(out.FUNCTION_APP_URL!, placeholders)).toBe(`https://${FUNCTION_HOST}`);
    expect(concretize(out.WEB_PUBSUB_HOSTNAME!, placeholders)).toBe(WPS_HOST);
    expect(out.SERVICE_API_NAME).toBeInstanceOf(Symbolic);
  });
});
