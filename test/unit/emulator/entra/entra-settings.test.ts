import { ConfigError } from '../../../../emulator/core/service-errors';
import {
  DEFAULT_APP_IDENTITY,
  DEFAULT_SIGNALR_IDENTITY,
  DEFAULT_TENANT_ID,
  parseEntraSettings,
  ROLE_SERVICE_OWNER,
  ROLE_SIGNALR_SERVICE_OWNER,
} from '../../../../emulator/entra/entra-settings';
import { APP, SERVICE } from '../../../support/entra-authority';

const problems = (json: unknown): readonly string[] => {
  try {
    parseEntraSettings(json);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

test('defaults: a fixed tenant, one app identity holding Web PubSub Service Owner and SignalR Service Owner, a day-long token, 5 minutes of skew, a random identity header', () => {
  const a = parseEntraSettings(undefined);
  const b = parseEntraSettings({});
  expect(a.tenantId).toBe(DEFAULT_TENANT_ID);
  expect(a.managedIdentities).toEqual([DEFAULT_APP_IDENTITY]);
  expect(a.roleAssignments).toEqual([
    { principalId: DEFAULT_APP_IDENTITY.principalId, role: ROLE_SERVICE_OWNER },
    { principalId: DEFAULT_APP_IDENTITY.principalId, role: ROLE_SIGNALR_SERVICE_OWNER },
  ]);
  expect(a.signalRIdentity).toEqual(DEFAULT_SIGNALR_IDENTITY);
  expect(a.tokenLifetimeSeconds).toBe(86_400);
  expect(a.clockSkewSeconds).toBe(300);
  expect(a.identityHeader).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(a.identityHeader).not.toBe(b.identityHeader);
});

test('without roleAssignments every managed identity of the app is Service Owner; with them, only those', () => {
  const other = { clientId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', principalId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' };
  expect(parseEntraSettings({ managedIdentities: [APP, other] }).roleAssignments.map((r) => r.principalId)).toEqual([
    APP.principalId,
    APP.principalId,
    other.principalId,
    other.principalId,
  ]);
  expect(parseEntraSettings({ managedIdentities: [APP, other], roleAssignments: [] }).roleAssignments).toEqual([]);
});

test('GUIDs are lower-cased; every problem is reported by JSON path', () => {
  expect(parseEntraSettings({ tenantId: 'ABCDEF01-2345-4678-8abc-DEF012345678' }).tenantId).toBe('abcdef01-2345-4678-8abc-def012345678');
  expect(
    problems({
      tenantId: 'contoso',
      tokenLifetimeSeconds: 0,
      identityHeader: 'short',
      managedIdentities: [{ clientId: 'x' }],
      applications: [{ appId: APP.clientId, accessTokenVersion: 3 }],
      roleAssignments: [{ principalId: APP.principalId, roleDefinitionName: 'Owner' }],
    }),
  ).toEqual([
    'entra.tenantId: expected a GUID',
    'entra.tokenLifetimeSeconds: expected a whole number of seconds from 1 to 604800',
    'entra.identityHeader: expected a string of at least 16 characters',
    'entra.managedIdentities[0].clientId: expected a GUID',
    'entra.managedIdentities[0].principalId: expected a GUID',
    'entra.applications[0].accessTokenVersion: expected 1 or 2',
    'entra.roleAssignments[0].roleDefinitionName: expected one of "Web PubSub Service Owner", "Web PubSub Service Reader", "SignalR Service Owner", "SignalR App Server", "SignalR REST API Owner", "SignalR REST API Reader"',
  ]);
});

test('the service identity cannot also be served to the app by the managed-identity endpoint', () => {
  expect(problems({ managedIdentities: [SERVICE], serviceIdentity: SERVICE })).toEqual([
    "entra.managedIdentities: must not include the Web PubSub resource's own identity (serviceIdentity)",
  ]);
  expect(problems({ managedIdentities: [SERVICE], signalRIdentity: SERVICE })).toEqual([
    "entra.managedIdentities: must not include the SignalR Service resource's own identity (signalRIdentity)",
  ]);
});
