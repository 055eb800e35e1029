/**
 * One source for the keyless app settings: scripts/keyless-app-settings.ts (used by
 * `npm run start:keyless`) must give exactly what infra/modules/function-app-settings.bicep deploys for
 * the same deployment values, for every setting the app reads; and the keyless stack's hub must be
 * infra's hub. A change on one side only fails here.
 */
import { routes } from '../../../functions/routes';
import { isKnownSetting } from '../../../shared/config/app-config';
import { keylessAppSettings } from '../../../scripts/keyless-app-settings';
import { planKeylessStack, type KeylessPlanInput } from '../../../scripts/keyless-stack-plan';
import { concretize, evaluate, isObjectValue, modules, prop, resources, scopeOf, type Value } from '../../support/infra/bicep-tree';
import { loadInfra, type Infra } from '../../support/infra/infra-files';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

const TENANT = '11111111-1111-4111-8111-111111111111';
const APP_IDENTITY_CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const WPS_PRINCIPAL_ID = '33333333-3333-4333-8333-333333333333';
const APP_REGISTRATION_ID = '44444444-4444-4444-8444-444444444444';
const WPS_HOST = 'wps-test.webpubsub.azure.com';
const LOGIN = 'https://login.microsoftonline.com/';
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
  'environment().authentication.loginEndpoint': LOGIN,
  'functionApp.properties.defaultHostName': 'func-api-test.azurewebsites.net',
  'signalR!.outputs.hostName': 'sigr-test.service.signalr.net',
  'signalR!.outputs.principalId': '77777777-7777-4777-8777-777777777777',
};

function moduleArgs(symbol: string, given: Record<string, Value>): Record<string, Value> {
  const main = infra.file('main.bicep');
  const m = modules(main.root).find((x) => x.symbol === symbol)!;
  return evaluate(prop(m.body, 'params')!, scopeOf(main, given)) as Record<string, Value>;
}

/** The app-read settings infra deploys for a scenario. */
function deployedAppSettings(given: Record<string, Value>): Record<string, string> {
  const mod = infra.file('modules/function-app-settings.bicep');
  const r = resources(mod.root).find((x) => x.type === 'Microsoft.Web/sites/config' && evaluate(prop(x.body, 'name')!, scopeOf(mod)) === 'appsettings')!;
  const raw = evaluate(prop(r.body, 'properties')!, scopeOf(mod, moduleArgs('functionAppSettings', given)));
  if (!isObjectValue(raw)) throw new Error('appsettings is not an object');
  const env = concretize(raw, PLACEHOLDERS) as Record<string, string>;
  return Object.fromEntries(Object.entries(env).filter(([k]) => isKnownSetting(k)));
}

const deployment = {
  webPubSubHostName: WPS_HOST,
  identityClientId: APP_IDENTITY_CLIENT_ID,
  tenantId: TENANT,
  loginEndpoint: LOGIN,
  webPubSubPrincipalId: WPS_PRINCIPAL_ID,
  hubName: 'chat',
};

test.each([
  ['defaults (easyauth, created app registration)', {}, { appClientId: APP_REGISTRATION_ID, appRegistrationCreated: true, negotiateAuth: 'easyauth' as const }],
  [
    'an existing app registration',
    { appClientId: '55555555-5555-4555-8555-555555555555' },
    { appClientId: '55555555-5555-4555-8555-555555555555', appRegistrationCreated: false, negotiateAuth: 'easyauth' as const },
  ],
  ['jwt with Entra defaults', { negotiateAuth: 'jwt' }, { appClientId: APP_REGISTRATION_ID, appRegistrationCreated: true, negotiateAuth: 'jwt' as const }],
  [
    'SignalR Service too (enableSignalR)',
    { enableSignalR: true },
    {
      appClientId: APP_REGISTRATION_ID,
      appRegistrationCreated: true,
      negotiateAuth: 'easyauth' as const,
      signalR: { hostName: 'sigr-test.service.signalr.net', principalId: '77777777-7777-4777-8777-777777777777' },
    },
  ],
])('%s: keylessAppSettings equals what the Bicep deploys', (_name, given, rest) => {
  expect(keylessAppSettings({ ...deployment, ...rest })).toEqual(deployedAppSettings(given as Record<string, Value>));
});

/** The plan start.ts makes for `npm run start:keyless` on fixed ports, with the shell's `env`. */
const keylessPlan = (env: NodeJS.ProcessEnv, more: Partial<KeylessPlanInput> = {}) =>
  planKeylessStack({
    functionsPort: 7071,
    emulatorPort: 8443,
    caDir: '/repo/.local-ca',
    caPath: '/repo/.local-ca/ca.pem',
    emulatorConfigPath: '/repo/.local-ca/keyless-emulator.json',
    hubs: ['chat'],
    routePrefix: 'api',
    eventHandlerRoute: routes.eventHandler,
    identityHeader: 'h'.repeat(32),
    env,
    nodePath: 'node',
    ...more,
  });

describe('the keyless stack', () => {
  const plan = keylessPlan({
    PATH: '/bin',
    WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;',
    NegotiateAuth: 'dev',
    CorsAllowedOrigins: '*',
  });

  test("the app gets infra's settings with local values, the three local overrides, and nothing else it reads", () => {
    const env = plan.functions.env;
    const appRead = Object.fromEntries(Object.entries(env).filter(([k, v]) => isKnownSetting(k) && v !== ''));
    expect(appRead).toEqual(plan.appSettings);
    expect(plan.appSettings).toMatchObject({
      WebPubSubConnectionString__serviceUri: 'https://localhost:8443',
      NegotiateAuth: 'easyauth',
      EventHandlerTokenJwksUrl: `https://localhost:8443/${plan.appSettings.EventHandlerTokenTenantId}/discovery/v2.0/keys`,
      EventHandlerTokenIssuer: `https://localhost:8443/${plan.appSettings.EventHandlerTokenTenantId}/v2.0`,
    });
    // Settings from the shell or local.settings.json cannot leak in: blank means "not set" to the app.
    expect(env.WebPubSubConnectionString).toBe('');
    expect(env.CorsAllowedOrigins).toBe('');
    expect(plan.localOverrides).toEqual({
      IDENTITY_ENDPOINT: 'https://localhost:8443/msi/token',
      IDENTITY_HEADER: 'h'.repeat(32),
      NODE_EXTRA_CA_CERTS: '/repo/.local-ca/ca.pem',
    });
    for (const [k, v] of Object.entries(plan.localOverrides)) expect(env[k]).toBe(v);
    expect(plan.functions.args).toEqual(expect.arrayContaining(['--easyauth', '--easyauth-client-id', plan.appSettings.EventHandlerTokenAudience]));
  });

  test("the emulator gets infra's hub: one handler for every event, ManagedIdentity auth with resource = the token audience the app expects", () => {
    const mod = infra.file('modules/web-pubsub-hub.bicep');
    const hub = resources(mod.root).find((r) => r.type === 'Microsoft.SignalRService/webPubSub/hubs')!;
    const deployed = concretize(evaluate(prop(hub.body, 'properties')!, scopeOf(mod, moduleArgs('webPubSubHub', {}))), PLACEHOLDERS) as {
      anonymousConnectPolicy: string;
      eventHandlers: Record<string, unknown>[];
    };
    const local = (plan.emulatorConfig.hubs as Record<string, typeof deployed>).chat!;
    expect(local.anonymousConnectPolicy).toBe(deployed.anonymousConnectPolicy);
    // ARM reads a property set to null as absent (the hub module sends `groupPresenceEvents: null` when the hub asks for none).
    const withoutNulls = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== null));
    const strip = (h: Record<string, unknown>) => ({
      ...withoutNulls(h),
      urlTemplate: new URL(String(h.urlTemplate)).pathname,
      auth: { type: (h.auth as { type: string }).type },
    });
    expect(local.eventHandlers.map(strip)).toEqual(deployed.eventHandlers.map(strip));
    expect((local.eventHandlers[0]!.auth as { managedIdentity: { resource: string } }).managedIdentity.resource).toBe(
      plan.appSettings.EventHandlerTokenAudience,
    );
    expect(plan.emulatorConfig).toMatchObject({ tls: true, disableLocalAuth: true });
  });
});

describe('the keyless stack with SignalR Service (--signalr, as enableSignalR deploys it)', () => {
  const plan = keylessPlan(
    { PATH: '/bin', AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8081;AccessKey=k;Version=1.0;' },
    { signalr: { port: 8444, eventsRoute: routes.signalrEvents } },
  );

  test("the app gets infra's SignalR settings with the local host and the local SignalR identity, and no access key", () => {
    const env = plan.functions.env;
    const appRead = Object.fromEntries(Object.entries(env).filter(([k, v]) => isKnownSetting(k) && v !== ''));
    expect(appRead).toEqual(plan.appSettings);
    expect(plan.appSettings).toMatchObject({
      AzureSignalRConnectionString__serviceUri: 'https://localhost:8444',
      SignalRUpstreamTokenCallerObjectId: (plan.emulatorConfig.entra as { signalRIdentity: { principalId: string } }).signalRIdentity.principalId,
    });
    expect(env.AzureSignalRConnectionString).toBe('');
    expect(plan.emulator.args).toEqual(expect.arrayContaining(['--signalr-port', '8444']));
  });

  test("the emulator gets infra's upstream template (path and auth) and the role infra assigns", () => {
    const mod = infra.file('modules/signalr.bicep');
    const r = resources(mod.root).find((x) => x.type === 'Microsoft.SignalRService/signalR')!;
    const deployed = concretize(evaluate(prop(r.body, 'properties.upstream.templates')!, scopeOf(mod, moduleArgs('signalR', { enableSignalR: true }))), {
      ...PLACEHOLDERS,
      'functionApp.outputs.defaultHostName': 'func-api-test.azurewebsites.net',
    }) as { urlTemplate: string; auth: { type: string; managedIdentity: { resource: string } } }[];
    const local = (plan.emulatorConfig.signalr as { upstream: { templates: typeof deployed } }).upstream.templates;
    expect(local.map((t) => new URL(t.urlTemplate).pathname)).toEqual(deployed.map((t) => new URL(t.urlTemplate).pathname));
    expect(local.map((t) => t.auth.type)).toEqual(['ManagedIdentity']);
    expect(local[0]!.auth.managedIdentity.resource).toBe(plan.appSettings.EventHandlerTokenAudience);
    const entra = plan.emulatorConfig.entra as { managedIdentities: { clientId: string; principalId: string }[]; roleAssignments: unknown[] };
    const appIdentity = entra.managedIdentities.find((m) => m.clientId === plan.appSettings.AzureSignalRConnectionString__clientId)!;
    expect(entra.roleAssignments).toContainEqual({ principalId: appIdentity.principalId, roleDefinitionName: 'SignalR Service Owner' });
  });
});
