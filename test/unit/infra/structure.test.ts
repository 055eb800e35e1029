import { posix } from 'node:path';
import {
  arrayItems,
  concretize,
  descendants,
  evaluate,
  modules,
  objectProps,
  outputs,
  params,
  prop,
  resources,
  scopeOf,
  Symbolic,
  targetScope,
  variables,
  type BicepFile,
  type ResourceDecl,
  type Value,
} from '../../support/infra/bicep-tree';
import { loadInfra, type Infra } from '../../support/infra/infra-files';
import { routes } from '../../../functions/routes';
import { hubDefinitions } from '../../../shared/hub/app-hubs';
import { groupPresenceEventNames } from '../../../shared/hub/hub-definition';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

/** The one resource of `type` in `file` that is declared (not `existing`). */
function declared(file: BicepFile, type: string): ResourceDecl {
  const found = resources(file.root).filter((r) => r.type === type && !r.existing);
  expect(found.map((r) => r.symbol)).toHaveLength(1);
  return found[0]!;
}

function literal(file: BicepFile, r: ResourceDecl, path: string, given: Record<string, Value> = {}): Value {
  const node = prop(r.body, path);
  if (!node) throw new Error(`${file.rel}: ${r.symbol} has no ${path}`);
  return evaluate(node, scopeOf(file, given));
}

/** Parameter values main.bicep passes to a module under main's defaults (or `given`). */
function moduleArgs(infra: Infra, moduleSymbol: string, given: Record<string, Value> = {}): Record<string, Value> {
  const main = infra.file('main.bicep');
  const m = modules(main.root).find((x) => x.symbol === moduleSymbol);
  if (!m) throw new Error(`main.bicep has no module ${moduleSymbol}`);
  return evaluate(prop(m.body, 'params')!, scopeOf(main, given)) as Record<string, Value>;
}

// Intended API version per resource type: the newest GA version for Web PubSub (2024-03-01; later
// versions are previews), the versions the Flex Consumption samples use for Microsoft.Web.
const API_VERSIONS: Record<string, string> = {
  'Microsoft.Resources/resourceGroups': '2021-04-01',
  'Microsoft.OperationalInsights/workspaces': '2023-09-01',
  'Microsoft.Insights/components': '2020-02-02',
  'Microsoft.Storage/storageAccounts': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices/containers': '2023-05-01',
  'Microsoft.SignalRService/signalR': '2024-03-01',
  'Microsoft.SignalRService/webPubSub': '2024-03-01',
  'Microsoft.SignalRService/webPubSub/hubs': '2024-03-01',
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
  'Microsoft.Web/serverfarms': '2024-04-01',
  'Microsoft.Web/sites': '2024-04-01',
  'Microsoft.Web/sites/config': '2024-04-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Graph/applications': 'v1.0',
  'Microsoft.Graph/applications/federatedIdentityCredentials': 'v1.0',
  'Microsoft.Graph/servicePrincipals': 'v1.0',
};

describe('resource types and API versions', () => {
  test('every resource (including existing references) uses the intended API version', () => {
    const used = infra.files.flatMap((f) => resources(f.root).map((r) => ({ at: `${f.rel}:${r.symbol}`, type: r.type, version: r.apiVersion })));
    for (const u of used) expect({ ...u, version: API_VERSIONS[u.type] ?? 'not in the table' }).toEqual(u);
  });

  test('every type in the table is used (the table has no stale rows)', () => {
    const types = new Set(infra.files.flatMap((f) => resources(f.root).map((r) => r.type)));
    expect([...types].sort()).toEqual(Object.keys(API_VERSIONS).sort());
  });
});

describe('symbols and module contracts', () => {
  // Functions and decorators of the Bicep language used here; an unknown name is a typo.
  const BUILTINS = new Set([
    'union',
    'empty',
    'environment',
    'tenant',
    'subscription',
    'resourceGroup',
    'uniqueString',
    'toLower',
    'take',
    'guid',
    'subscriptionResourceId',
    'loadJsonContent',
    'contains',
    'join',
    'description',
    'allowed',
    'minLength',
    'maxLength',
    'minValue',
    'maxValue',
    'metadata',
    'secure',
  ]);

  test('every identifier refers to a declaration of its file or a built-in function', () => {
    const unknown: string[] = [];
    for (const f of infra.files) {
      const declaredNames = new Set<string>([
        ...params(f.root).map((p) => p.name),
        ...variables(f.root).keys(),
        ...resources(f.root).map((r) => r.symbol),
        ...modules(f.root).map((m) => m.symbol),
      ]);
      for (const id of descendants(f.root, 'identifier')) {
        const parent = id.parent!;
        if (parent.type.endsWith('_declaration') && parent.namedChildren.find((c) => c.type === 'identifier')?.id === id.id) continue;
        if (parent.type === 'object_property' && parent.namedChildren[0]!.id === id.id) continue;
        if (parent.type === 'call_expression' && parent.namedChildren[0]!.id === id.id) {
          if (!BUILTINS.has(id.text)) unknown.push(`${f.rel}:${id.startPosition.row + 1} function ${id.text}`);
          continue;
        }
        if (!declaredNames.has(id.text)) unknown.push(`${f.rel}:${id.startPosition.row + 1} ${id.text}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test("every parameter and variable is used (the Bicep linter's no-unused-params / no-unused-vars)", () => {
    const unused: string[] = [];
    for (const f of infra.files) {
      const referenced = new Set(
        descendants(f.root, 'identifier')
          .filter((id) => !(id.parent!.type.endsWith('_declaration') && id.parent!.namedChildren.find((c) => c.type === 'identifier')?.id === id.id))
          .filter((id) => !(id.parent!.type === 'object_property' && id.parent!.namedChildren[0]!.id === id.id))
          .map((id) => id.text),
      );
      for (const name of [...params(f.root).map((p) => p.name), ...variables(f.root).keys()]) {
        if (!referenced.has(name)) unused.push(`${f.rel}: ${name}`);
      }
    }
    expect(unused).toEqual([]);
  });

  test('main.bicep passes every required parameter of each module and none it does not declare', () => {
    const main = infra.file('main.bicep');
    for (const m of modules(main.root)) {
      const mod = infra.file(posix.normalize(m.path));
      const declaredParams = params(mod.root);
      const passed = [...objectProps(prop(m.body, 'params')!).keys()].sort();
      const required = declaredParams
        .filter((p) => !p.defaultValue)
        .map((p) => p.name)
        .sort();
      expect({ module: m.symbol, missing: required.filter((r) => !passed.includes(r)) }).toEqual({ module: m.symbol, missing: [] });
      expect({ module: m.symbol, unknown: passed.filter((p) => !declaredParams.some((d) => d.name === p)) }).toEqual({ module: m.symbol, unknown: [] });
    }
  });

  test('every module output main.bicep reads is declared by that module', () => {
    const main = infra.file('main.bicep');
    const byModule = new Map(modules(main.root).map((m) => [m.symbol, infra.file(posix.normalize(m.path))]));
    const refs = [...main.source.matchAll(/\b(\w+)!?\.outputs\.(\w+)/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, symbol, output] of refs) {
      const mod = byModule.get(symbol!);
      expect({ ref: `${symbol}.outputs.${output}`, declared: !!mod && outputs(mod.root).some((o) => o.name === output) }).toEqual({
        ref: `${symbol}.outputs.${output}`,
        declared: true,
      });
    }
  });

  test("literal arguments main.bicep passes respect the modules' @allowed lists", () => {
    const main = infra.file('main.bicep');
    for (const m of modules(main.root)) {
      const mod = infra.file(posix.normalize(m.path));
      const args = moduleArgs(infra, m.symbol);
      for (const p of params(mod.root)) {
        const allowed = p.decorators.get('allowed');
        const v = args[p.name];
        if (!allowed || v === undefined || v instanceof Symbolic) continue;
        const values = arrayItems(allowed[0]!).map((n) => evaluate(n, scopeOf(mod)));
        expect({ at: `${m.symbol}.${p.name}`, allowed: values.includes(v) }).toEqual({ at: `${m.symbol}.${p.name}`, allowed: true });
      }
    }
  });
});

describe('main.bicep (azd conventions)', () => {
  test('subscription scope creating rg-<environment>', () => {
    const main = infra.file('main.bicep');
    expect(targetScope(main.root)).toBe('subscription');
    const rg = declared(main, 'Microsoft.Resources/resourceGroups');
    const name = literal(main, rg, 'name', { environmentName: 'dev' });
    expect(name).toBe('rg-dev');
    // Every module is deployed into that resource group.
    for (const m of modules(main.root)) expect(prop(m.body, 'scope')?.text).toBe(rg.symbol);
  });

  test('azd outputs are present and name the azd service', () => {
    const names = outputs(infra.file('main.bicep').root).map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['AZURE_LOCATION', 'AZURE_TENANT_ID', 'AZURE_RESOURCE_GROUP', 'SERVICE_API_NAME']));
    expect(names).toEqual(expect.arrayContaining(['FUNCTION_APP_URL', 'NEGOTIATE_URL', 'CHAT_PAGE_URL', 'WEB_PUBSUB_HOSTNAME']));
  });
});

describe('Web PubSub', () => {
  test('newest GA API, system-assigned identity, local auth disabled by default', () => {
    const mod = infra.file('modules/web-pubsub.bicep');
    const wps = declared(mod, 'Microsoft.SignalRService/webPubSub');
    const args = moduleArgs(infra, 'webPubSub');
    expect(literal(mod, wps, 'identity.type', args)).toBe('SystemAssigned');
    expect(literal(mod, wps, 'properties.disableLocalAuth', args)).toBe(true);
    expect(literal(mod, wps, 'properties.disableAadAuth', args)).toBe(false);
    expect(literal(mod, wps, 'kind', args)).toBe('WebPubSub');
    // Opting into keys is what turns local auth back on.
    expect(literal(mod, wps, 'properties.disableLocalAuth', moduleArgs(infra, 'webPubSub', { useAccessKeys: true }))).toBe(false);
  });

  test('default SKU is Standard_S1 with capacity 1', () => {
    const mod = infra.file('modules/web-pubsub.bicep');
    const wps = declared(mod, 'Microsoft.SignalRService/webPubSub');
    expect(literal(mod, wps, 'sku', moduleArgs(infra, 'webPubSub'))).toEqual({ name: 'Standard_S1', capacity: 1 });
  });

  test('its principal id output is the system-assigned identity', () => {
    const out = outputs(infra.file('modules/web-pubsub.bicep').root).find((o) => o.name === 'principalId');
    expect(out?.value.text).toBe('webPubSub.identity.principalId');
  });

  test('the hub denies anonymous clients and has one event handler with managed-identity auth for every event', () => {
    const mod = infra.file('modules/web-pubsub-hub.bicep');
    const hub = declared(mod, 'Microsoft.SignalRService/webPubSub/hubs');
    const args = moduleArgs(infra, 'webPubSubHub');
    expect(literal(mod, hub, 'properties.anonymousConnectPolicy', args)).toBe('deny');
    const handlers = literal(mod, hub, 'properties.eventHandlers', args) as Value[];
    expect(handlers).toHaveLength(1);
    const h = handlers[0] as Record<string, Value>;
    expect(h.userEventPattern).toBe('*');
    expect(h.systemEvents).toEqual(['connect', 'connected', 'disconnected']);
    const auth = h.auth as Record<string, Value>;
    expect(auth.type).toBe('ManagedIdentity');
    // The audience is the app registration, created by main.bicep unless a client id is given.
    expect(String((auth.managedIdentity as Record<string, Value>).resource)).toBe('<appRegistration!.outputs.appId>');
    expect(
      (literal(mod, hub, 'properties.eventHandlers', moduleArgs(infra, 'webPubSubHub', { appClientId: 'given-id' })) as Record<string, Value>[])[0]!.auth,
    ).toEqual({
      type: 'ManagedIdentity',
      managedIdentity: { resource: 'given-id' },
    });
  });

  test('the event handler asks for exactly the group presence events the hub code handles (none for the chat hub)', () => {
    const mod = infra.file('modules/web-pubsub-hub.bicep');
    const hub = declared(mod, 'Microsoft.SignalRService/webPubSub/hubs');
    const handler = (given: Record<string, Value> = {}) =>
      (literal(mod, hub, 'properties.eventHandlers', moduleArgs(infra, 'webPubSubHub', given)) as Record<string, Value>[])[0]!;
    // main.bicep's default is what the app's hub definition for the default hub name asks for.
    const main = params(infra.file('main.bicep').root);
    const hubName = evaluate(main.find((p) => p.name === 'hubName')!.defaultValue!, scopeOf(infra.file('main.bicep'))) as string;
    const definition = hubDefinitions.find((d) => d.name === hubName)!;
    expect(evaluate(main.find((p) => p.name === 'hubGroupPresenceEvents')!.defaultValue!, scopeOf(infra.file('main.bicep')))).toEqual(
      groupPresenceEventNames(definition),
    );
    expect(handler().groupPresenceEvents).toBeNull();
    // A hub that defines onGroupJoined and onGroupLeft gets both; the rest of the handler is unchanged.
    const withPresence = handler({ hubGroupPresenceEvents: ['joined', 'left'] });
    expect(withPresence.groupPresenceEvents).toEqual({ eventNames: ['joined', 'left'] });
    expect(withPresence.systemEvents).toEqual(['connect', 'connected', 'disconnected']);
    expect((withPresence.auth as Record<string, Value>).type).toBe('ManagedIdentity');
  });
});

describe('function app on Flex Consumption', () => {
  test('FC1 plan, reserved (Linux)', () => {
    const mod = infra.file('modules/function-app.bicep');
    const plan = declared(mod, 'Microsoft.Web/serverfarms');
    expect(literal(mod, plan, 'sku')).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    expect(literal(mod, plan, 'properties.reserved')).toBe(true);
  });

  test('Linux function app, HTTPS only, TLS 1.2, user-assigned identity, tagged for azd', () => {
    const mod = infra.file('modules/function-app.bicep');
    const site = declared(mod, 'Microsoft.Web/sites');
    const args = moduleArgs(infra, 'functionApp');
    expect(literal(mod, site, 'kind', args)).toBe('functionapp,linux');
    expect(literal(mod, site, 'properties.httpsOnly', args)).toBe(true);
    expect(literal(mod, site, 'properties.siteConfig.minTlsVersion', args)).toBe('1.2');
    expect(literal(mod, site, 'identity.type', args)).toBe('UserAssigned');
    expect(prop(site.body, 'properties.serverFarmId')?.text).toBe('plan.id');
    const tags = literal(mod, site, 'tags', args) as Record<string, Value>;
    expect(tags['azd-service-name']).toBe('api');
    expect(tags['azd-env-name']).toBeInstanceOf(Symbolic);
  });

  test('functionAppConfig: identity-authenticated blob deployment, node runtime, memory and scale params', () => {
    const mod = infra.file('modules/function-app.bicep');
    const site = declared(mod, 'Microsoft.Web/sites');
    const args = moduleArgs(infra, 'functionApp');
    const cfg = literal(mod, site, 'properties.functionAppConfig', args) as Record<string, Record<string, Value>>;
    const storage = cfg.deployment!.storage as Record<string, Value>;
    expect(storage.type).toBe('blobContainer');
    expect(String(storage.value)).toBe('<storage.outputs.deploymentContainerUrl>');
    expect(storage.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: expect.any(Symbolic) });
    expect(cfg.runtime).toEqual({ name: 'node', version: '22' });
    expect(cfg.scaleAndConcurrency).toEqual({ instanceMemoryMB: 2048, maximumInstanceCount: 100 });
    const main = infra.file('main.bicep');
    const allowed = (name: string): Value[] =>
      arrayItems(
        params(main.root)
          .find((p) => p.name === name)!
          .decorators.get('allowed')![0]!,
      ).map((n) => evaluate(n, scopeOf(main)));
    expect(allowed('nodeVersion')).toEqual(['20', '22']);
    expect(allowed('instanceMemoryMB')).toEqual([512, 2048, 4096]);
  });

  test('the deployment container URL is the blob endpoint plus the container storage.bicep creates', () => {
    const mod = infra.file('modules/storage.bicep');
    const out = outputs(mod.root).find((o) => o.name === 'deploymentContainerUrl')!;
    expect(out.value.text).toBe("'${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'");
    const container = declared(mod, 'Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(prop(container.body, 'name')?.text).toBe('deploymentContainerName');
    expect(literal(mod, container, 'properties.publicAccess', { deploymentContainerName: 'x' })).toBe('None');
  });
});

describe('storage and monitoring', () => {
  test('storage account: no shared keys, no public blob access, TLS 1.2', () => {
    const mod = infra.file('modules/storage.bicep');
    const st = declared(mod, 'Microsoft.Storage/storageAccounts');
    expect(literal(mod, st, 'properties.allowSharedKeyAccess')).toBe(false);
    expect(literal(mod, st, 'properties.allowBlobPublicAccess')).toBe(false);
    expect(literal(mod, st, 'properties.minimumTlsVersion')).toBe('TLS1_2');
    expect(literal(mod, st, 'properties.supportsHttpsTrafficOnly')).toBe(true);
  });

  test('storage account name fits the 3-24 lower-case alphanumerics rule', () => {
    const name = moduleArgs(infra, 'storage', { environmentName: 'dev', location: 'eastus' }).name!;
    // uniqueString() is 13 characters at deploy time.
    const sample = concretize(name, { 'toLower(uniqueString(subscription().id, environmentName, location))': 'abcdefghijklm' });
    expect(sample).toMatch(/^st[a-z0-9]{13}$/);
  });

  test('Application Insights is workspace-based with local auth disabled', () => {
    const mod = infra.file('modules/monitoring.bicep');
    const appi = declared(mod, 'Microsoft.Insights/components');
    expect(literal(mod, appi, 'properties.DisableLocalAuth')).toBe(true);
    expect(prop(appi.body, 'properties.WorkspaceResourceId')?.text).toBe('logAnalytics.id');
  });
});

describe('role assignments', () => {
  const DOCUMENTED_ROLES: Record<string, string> = {
    webPubSubServiceOwner: '12cf5a90-567b-43ae-8102-96cf46c7d9b4',
    storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  };

  test('role definition ids are the documented built-in ones', () => {
    const mod = infra.file('modules/role-assignments.bicep');
    expect(evaluate(variables(mod.root).get('roles')!, scopeOf(mod))).toEqual(DOCUMENTED_ROLES);
  });

  test('each assignment: guid(scope, principal, role) name, the scoped resource, the role, the principal type', () => {
    const mod = infra.file('modules/role-assignments.bicep');
    const assignments = resources(mod.root).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    const expectedScopes: Record<string, string> = {
      webPubSubServiceOwner: 'webPubSub',
      storageBlobDataOwner: 'storage',
      monitoringMetricsPublisher: 'appInsights',
    };
    expect(assignments).toHaveLength(3);
    const seen: string[] = [];
    for (const a of assignments) {
      const role = /roles\.(\w+)/.exec(prop(a.body, 'properties.roleDefinitionId')!.text)![1]!;
      seen.push(role);
      const scope = expectedScopes[role]!;
      expect(prop(a.body, 'scope')?.text).toBe(scope);
      expect(prop(a.body, 'name')?.text).toBe(`guid(${scope}.id, principalId, roles.${role})`);
      expect(prop(a.body, 'properties.roleDefinitionId')?.text).toBe(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.${role})`);
      expect(prop(a.body, 'properties.principalType')?.text).toBe('principalType');
      expect(prop(a.body, 'properties.principalId')?.text).toBe('principalId');
    }
    expect(seen.sort()).toEqual(Object.keys(DOCUMENTED_ROLES).sort());
  });

  test('the app identity always gets them; the deploying user only when AZURE_PRINCIPAL_ID is set', () => {
    const main = infra.file('main.bicep');
    const ms = modules(main.root).filter((m) => m.path === 'modules/role-assignments.bicep');
    expect(ms).toHaveLength(2);
    const app = moduleArgs(infra, 'appRoles');
    expect(app.principalType).toBe('ServicePrincipal');
    expect(String(app.principalId)).toBe('<functionApp.outputs.identityPrincipalId>');
    const user = ms.find((m) => m.symbol === 'userRoles')!;
    expect(user.condition?.text).toBe('!empty(principalId)');
    expect(moduleArgs(infra, 'userRoles', { principalId: 'me' })).toMatchObject({ principalId: 'me', principalType: 'User' });
    // A pipeline's service principal can be given instead (AZURE_PRINCIPAL_TYPE).
    expect(moduleArgs(infra, 'userRoles', { principalId: 'ci', principalType: 'ServicePrincipal' })).toMatchObject({ principalType: 'ServicePrincipal' });
  });
});

describe('app registration (Microsoft Graph extension)', () => {
  test('created only when no appClientId is given, with a service principal and a federated credential for the app identity', () => {
    const main = infra.file('main.bicep');
    const m = modules(main.root).find((x) => x.symbol === 'appRegistration')!;
    expect(m.condition?.text).toBe('createAppRegistration');
    expect(evaluate(variables(main.root).get('createAppRegistration')!, scopeOf(main))).toBe(true);
    expect(evaluate(variables(main.root).get('createAppRegistration')!, scopeOf(main, { appClientId: 'x' }))).toBe(false);
    const args = moduleArgs(infra, 'appRegistration');
    expect(String(args.redirectUri)).toBe('<https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback>');
    expect(String(args.federatedIdentityPrincipalId)).toBe('<functionApp.outputs.identityPrincipalId>');

    const mod = infra.file('modules/app-registration.bicep');
    const app = declared(mod, 'Microsoft.Graph/applications');
    expect(literal(mod, app, 'api.requestedAccessTokenVersion', args)).toBe(2);
    expect(literal(mod, app, 'signInAudience', args)).toBe('AzureADMyOrg');
    const fic = declared(mod, 'Microsoft.Graph/applications/federatedIdentityCredentials');
    expect(literal(mod, fic, 'audiences', args)).toEqual(['api://AzureADTokenExchange']);
    expect(prop(fic.body, 'subject')?.text).toBe('federatedIdentityPrincipalId');
    const sp = declared(mod, 'Microsoft.Graph/servicePrincipals');
    expect(prop(sp.body, 'appId')?.text).toBe('app.appId');
  });
});

describe('no secrets in outputs', () => {
  test('no output calls a list*() function or is named like a secret', () => {
    for (const f of infra.files) {
      for (const o of outputs(f.root)) {
        expect({ at: `${f.rel}:${o.name}`, listCall: /\blist\w*\(/.test(o.value.text) }).toEqual({ at: `${f.rel}:${o.name}`, listCall: false });
        // appInsightsConnectionString: not a credential while DisableLocalAuth is true (tested above).
        if (o.name === 'appInsightsConnectionString') continue;
        expect({ at: `${f.rel}:${o.name}`, secretName: /key|secret|password|connectionstring|token/i.test(o.name) }).toEqual({
          at: `${f.rel}:${o.name}`,
          secretName: false,
        });
      }
    }
  });

  test('listKeys() appears once in all of infra/, in the opt-in key-mode settings', () => {
    const uses = infra.files.flatMap((f) =>
      descendants(f.root, 'property_identifier')
        .filter((p) => /^list/.test(p.text))
        .map((p) => `${f.rel}:${p.startPosition.row + 1}`),
    );
    expect(uses).toHaveLength(1);
    const settings = infra.file('modules/function-app-settings.bicep');
    expect(variables(settings.root).get('keyServiceSettings')!.text).toContain('listKeys()');
    expect(uses[0]!.startsWith('modules/function-app-settings.bicep:')).toBe(true);
  });
});

describe('SignalR Service (enableSignalR)', () => {
  test('deployed only with enableSignalR (default false), with its role assignment for the app identity', () => {
    const main = infra.file('main.bicep');
    expect(evaluate(params(main.root).find((p) => p.name === 'enableSignalR')!.defaultValue!, scopeOf(main))).toBe(false);
    const ms = modules(main.root);
    expect(ms.find((m) => m.symbol === 'signalR')!.condition?.text).toBe('enableSignalR');
    expect(ms.find((m) => m.symbol === 'appSignalRRoles')!.condition?.text).toBe('enableSignalR');
    expect(ms.find((m) => m.symbol === 'userSignalRRoles')!.condition?.text).toBe('enableSignalR && !empty(principalId)');
    expect(moduleArgs(infra, 'appSignalRRoles')).toMatchObject({ principalType: 'ServicePrincipal' });
    expect(String(moduleArgs(infra, 'appSignalRRoles').principalId)).toBe('<functionApp.outputs.identityPrincipalId>');
  });

  test('Serverless, local auth disabled, system-assigned identity', () => {
    const mod = infra.file('modules/signalr.bicep');
    const r = declared(mod, 'Microsoft.SignalRService/signalR');
    expect(literal(mod, r, 'properties.disableLocalAuth')).toBe(true);
    expect(literal(mod, r, 'properties.features')).toEqual([{ flag: 'ServiceMode', value: 'Serverless' }]);
    expect(literal(mod, r, 'identity')).toEqual({ type: 'SystemAssigned' });
    expect(outputs(mod.root).find((o) => o.name === 'principalId')!.value.text).toBe('signalR.identity.principalId');
  });

  test("one upstream template for everything: the app's events route, managed-identity auth for the app registration", () => {
    const mod = infra.file('modules/signalr.bicep');
    const r = declared(mod, 'Microsoft.SignalRService/signalR');
    const args = moduleArgs(infra, 'signalR', { enableSignalR: true });
    const templates = evaluate(prop(r.body, 'properties.upstream.templates')!, scopeOf(mod, args)) as Value[];
    expect(templates).toHaveLength(1);
    const t = concretize(templates[0]!, {
      'functionApp.outputs.defaultHostName': 'func.example.net',
      effectiveAppClientId: 'app-id',
      'https://${functionApp.outputs.defaultHostName}/api/signalr/events': `https://func.example.net/api/${routes.signalrEvents}`,
      'appRegistration!.outputs.appId': 'app-id',
    }) as Record<string, Value>;
    expect(t).toEqual({
      hubPattern: '*',
      eventPattern: '*',
      categoryPattern: '*',
      urlTemplate: `https://func.example.net/api/${routes.signalrEvents}`,
      auth: { type: 'ManagedIdentity', managedIdentity: { resource: 'app-id' } },
    });
    // The same audience as the Web PubSub event handler (the app's EventHandlerTokenAudience and SignalRUpstreamTokenAudience).
    expect(prop(modules(infra.file('main.bicep').root).find((m) => m.symbol === 'signalR')!.body, 'params.upstreamAudience')!.text).toBe(
      'effectiveAppClientId',
    );
  });

  test('the role is the documented SignalR Service Owner', () => {
    const mod = infra.file('modules/signalr-role-assignment.bicep');
    expect(evaluate(variables(mod.root).get('roles')!, scopeOf(mod))).toEqual({ signalRServiceOwner: '7e4f1700-ea5a-4f59-8f37-079cfe29dce3' });
    const a = resources(mod.root).find((r) => r.type === 'Microsoft.Authorization/roleAssignments')!;
    expect(prop(a.body, 'name')?.text).toBe('guid(signalR.id, principalId, roles.signalRServiceOwner)');
    expect(prop(a.body, 'scope')?.text).toBe('signalR');
  });
});
