/**
 * infra/main.bicep: findings of the review against the official Flex Consumption and Web PubSub
 * templates — the region list, waiting for role assignments, and what an admin needs on the
 * APP_CLIENT_ID path.
 */
import { arrayItems, evaluate, modules, outputs, params, prop, scopeOf, stringLiteral } from '../../support/infra/bicep-tree';
import { loadInfra, type Infra } from '../../support/infra/infra-files';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

// The official Flex Consumption quickstart's @allowed list (Azure-Samples/functions-quickstart-typescript-azd,
// infra/main.bicep), less its early-access canary region eastus2euap.
const FLEX_CONSUMPTION_REGIONS = [
  'australiaeast',
  'australiasoutheast',
  'brazilsouth',
  'canadacentral',
  'centralindia',
  'centralus',
  'eastasia',
  'eastus',
  'eastus2',
  'francecentral',
  'germanywestcentral',
  'italynorth',
  'japaneast',
  'koreacentral',
  'northcentralus',
  'northeurope',
  'norwayeast',
  'southafricanorth',
  'southcentralus',
  'southeastasia',
  'southindia',
  'spaincentral',
  'swedencentral',
  'uaenorth',
  'uksouth',
  'ukwest',
  'westcentralus',
  'westeurope',
  'westus',
  'westus2',
  'westus3',
];

describe('location', () => {
  test('is restricted to regions that offer Flex Consumption, and stays an azd location prompt', () => {
    const location = params(infra.file('main.bicep').root).find((p) => p.name === 'location')!;
    const allowed = location.decorators.get('allowed');
    expect(allowed).toBeDefined();
    expect(arrayItems(allowed![0]!).map((n) => stringLiteral(n))).toEqual(FLEX_CONSUMPTION_REGIONS);
    expect(location.decorators.has('metadata')).toBe(true);
  });
});

describe('role assignments before use', () => {
  test("the app settings (which restart the app keyless) wait for the app identity's role assignments", () => {
    const main = infra.file('main.bicep');
    const settings = modules(main.root).find((m) => m.symbol === 'functionAppSettings')!;
    const dependsOn = prop(settings.body, 'dependsOn');
    expect(dependsOn && arrayItems(dependsOn).map((n) => n.text)).toEqual(['appRoles', 'appSignalRRoles']);
    const roles = modules(main.root).find((m) => m.symbol === 'appRoles')!;
    expect(roles.condition).toBeNull();
  });

  test("main.bicep outputs when the app's role assignments were created, from all three of them", () => {
    const main = infra.file('main.bicep');
    const out = outputs(main.root).find((o) => o.name === 'APP_ROLE_ASSIGNMENTS_CREATED_ON')!;
    // With enableSignalR, the SignalR Service Owner assignment too (the hook waits for the latest).
    expect(String(evaluate(out.value, scopeOf(main)))).toBe('<appRoles.outputs.createdOn>');
    expect(String(evaluate(out.value, scopeOf(main, { enableSignalR: true })))).toBe('<${appRoles.outputs.createdOn},${appSignalRRoles!.outputs.createdOn}>');
    const mod = infra.file('modules/role-assignments.bicep');
    const createdOn = outputs(mod.root).find((o) => o.name === 'createdOn')!;
    expect(createdOn.type).toBe('string');
    for (const symbol of ['webPubSubOwner', 'blobDataOwner', 'metricsPublisher']) expect(createdOn.value.text).toContain(`${symbol}.properties.createdOn`);
  });
});

describe('app registration made by an admin (APP_CLIENT_ID)', () => {
  test('main.bicep outputs the sign-in redirect URI the admin must add, the same one a created registration gets', () => {
    const main = infra.file('main.bicep');
    const scope = scopeOf(main);
    const out = outputs(main.root).find((o) => o.name === 'APP_REGISTRATION_REDIRECT_URI')!;
    const value = String(evaluate(out.value, scope));
    expect(value).toBe('<https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback>');
    const registration = modules(main.root).find((m) => m.symbol === 'appRegistration')!;
    expect(String(evaluate(prop(registration.body, 'params.redirectUri')!, scope))).toBe(value);
  });
});
