import { resolveSecuritySettings } from '../../../emulator/security-config';
import { ConfigError } from '../../../emulator/core/service-errors';

test('nothing asked: plain http, local auth on, no authority', () => {
  expect(resolveSecuritySettings(undefined, {})).toEqual({ tls: false, caDir: '.local-ca', disableLocalAuth: false });
});

test('flags and config both switch features on; the authority implies TLS', () => {
  expect(resolveSecuritySettings({}, { entra: true })).toMatchObject({ tls: true, disableLocalAuth: false, entra: expect.any(Object) });
  expect(resolveSecuritySettings({ disableLocalAuth: true, entra: { tokenLifetimeSeconds: 5 } }, { caDir: '/tmp/ca' })).toMatchObject({
    tls: true,
    caDir: '/tmp/ca',
    disableLocalAuth: true,
    entra: { tokenLifetimeSeconds: 5 },
  });
  expect(resolveSecuritySettings({ tls: true }, {}).tls).toBe(true);
});

test('bad values are reported together', () => {
  expect(() => resolveSecuritySettings({ tls: 'yes', disableLocalAuth: 1, entra: { tenantId: 'x' } }, {}, 'hubs.json')).toThrow(ConfigError);
  try {
    resolveSecuritySettings({ tls: 'yes', entra: { tenantId: 'x' } }, {}, 'hubs.json');
  } catch (e) {
    expect((e as ConfigError).problems).toEqual(['hubs.json: "tls" must be true or false', 'hubs.json: entra.tenantId: expected a GUID']);
  }
});
