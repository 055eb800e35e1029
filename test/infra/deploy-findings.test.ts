/**
 * Findings of the review against the official Flex Consumption and Web PubSub templates: the region
 * list, waiting for role assignments, and what an admin needs on the APP_CLIENT_ID path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as waitMain, remainingWaitMs, waitWindowMs, DEFAULT_WAIT_SECONDS } from '../../infra/hooks/wait-for-role-assignments.cjs';
import { arrayItems, evaluate, modules, outputs, params, prop, scopeOf, stringLiteral } from './bicep-tree';
import { loadInfra, repoRoot, type Infra } from './infra-files';
import { parseSimpleYaml, type YamlMap } from './simple-yaml';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

// The official Flex Consumption quickstart's @allowed list (Azure-Samples/functions-quickstart-typescript-azd,
// infra/main.bicep), less its early-access canary region eastus2euap.
const FLEX_CONSUMPTION_REGIONS = [
  'australiaeast', 'australiasoutheast', 'brazilsouth', 'canadacentral', 'centralindia', 'centralus', 'eastasia', 'eastus', 'eastus2',
  'francecentral', 'germanywestcentral', 'italynorth', 'japaneast', 'koreacentral', 'northcentralus', 'northeurope', 'norwayeast',
  'southafricanorth', 'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'uaenorth', 'uksouth', 'ukwest',
  'westcentralus', 'westeurope', 'westus', 'westus2', 'westus3',
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
  test('the app settings (which restart the app keyless) wait for the app identity\'s role assignments', () => {
    const main = infra.file('main.bicep');
    const settings = modules(main.root).find((m) => m.symbol === 'functionAppSettings')!;
    const dependsOn = prop(settings.body, 'dependsOn');
    expect(dependsOn && arrayItems(dependsOn).map((n) => n.text)).toEqual(['appRoles']);
    const roles = modules(main.root).find((m) => m.symbol === 'appRoles')!;
    expect(roles.condition).toBeNull();
  });

  test('main.bicep outputs when the app\'s role assignments were created, from all three of them', () => {
    const main = infra.file('main.bicep');
    const out = outputs(main.root).find((o) => o.name === 'APP_ROLE_ASSIGNMENTS_CREATED_ON')!;
    expect(out.value.text).toBe('appRoles.outputs.createdOn');
    const mod = infra.file('modules/role-assignments.bicep');
    const createdOn = outputs(mod.root).find((o) => o.name === 'createdOn')!;
    expect(createdOn.type).toBe('string');
    for (const symbol of ['webPubSubOwner', 'blobDataOwner', 'metricsPublisher']) expect(createdOn.value.text).toContain(`${symbol}.properties.createdOn`);
  });

  test('azure.yaml runs the waiting hook after provisioning, on both shells', () => {
    const yaml = parseSimpleYaml(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8'));
    const hook = (yaml.hooks as YamlMap).postprovision as YamlMap;
    for (const os of ['posix', 'windows']) expect((hook[os] as YamlMap).run).toBe('node infra/hooks/wait-for-role-assignments.cjs');
  });

  test('the hook waits out the window from the latest creation time, and not at all once it has passed', () => {
    const created = '2026-01-01T10:00:00.0000000Z,2026-01-01T10:00:05Z';
    const t0 = Date.parse('2026-01-01T10:00:05Z');
    expect(remainingWaitMs(created, t0, 300_000)).toBe(300_000);
    expect(remainingWaitMs(created, t0 + 120_000, 300_000)).toBe(180_000);
    expect(remainingWaitMs(created, t0 + 300_000, 300_000)).toBe(0);
    expect(() => remainingWaitMs('', t0, 1)).toThrow();
    expect(() => remainingWaitMs('soon', t0, 1)).toThrow(/not a date/);
    expect(waitWindowMs(undefined)).toBe(DEFAULT_WAIT_SECONDS * 1000);
    expect(waitWindowMs('0')).toBe(0);
    expect(() => waitWindowMs('5m')).toThrow(/whole number/);
  });

  test('the hook sleeps on a first provision, not on a later one, and never fails the provision on bad input', async () => {
    const slept: number[] = [];
    const lines: string[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    const say = (line: string) => void lines.push(line);
    const justNow = new Date(Date.now() - 1000).toISOString();
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: justNow, ROLE_ASSIGNMENT_WAIT_SECONDS: '60' }, sleep, say)).toBeGreaterThan(50_000);
    expect(slept).toHaveLength(1);
    expect(lines[0]).toMatch(/Waiting \d+ s before the deployment/);
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: '2020-01-01T00:00:00Z' }, sleep, say)).toBe(0);
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: justNow, ROLE_ASSIGNMENT_WAIT_SECONDS: '0' }, sleep, say)).toBe(0);
    expect(await waitMain({}, sleep, say)).toBe(0);
    expect(lines.at(-1)).toMatch(/^Not waiting for role assignments/);
    expect(slept).toHaveLength(1);
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
