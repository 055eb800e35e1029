import { formatKeylessBanner, LOCAL_DEPLOYMENT_IDS, planKeylessStack } from '../../../scripts/keyless-stack-plan';
import { quietChild } from '../../../scripts/stack-plan';

const plan = planKeylessStack({
  functionsPort: 7071,
  emulatorPort: 8080,
  caDir: '/repo/.local-ca',
  caPath: '/repo/.local-ca/ca.pem',
  emulatorConfigPath: '/repo/.local-ca/keyless-emulator.json',
  hubs: ['chat', 'ops'],
  routePrefix: 'api',
  eventHandlerRoute: 'eventhandler',
  identityHeader: 'x'.repeat(32),
  tokenLifetimeSeconds: 5,
  clockSkewSeconds: 0,
  env: { PATH: '/bin', IDENTITY_HEADER: 'from-the-shell', NegotiateJwtSecret: 's' },
  nodePath: '/usr/bin/node',
});

test('same ports as npm start: the emulator on EMULATOR_PORT with its config and CA folder, the local host on PORT with App Service Authentication', () => {
  expect(plan.emulator.args).toEqual([
    'dist/emulator/main.js',
    '--port',
    '8080',
    '--config',
    '/repo/.local-ca/keyless-emulator.json',
    '--ca-dir',
    '/repo/.local-ca',
  ]);
  expect(plan.functions.args.slice(0, 5)).toEqual(['dist/local-host/main.js', '--port', '7071', '--static', 'dist/web']);
  expect(plan.functions.env.PORT).toBe('7071');
  expect(plan.serviceUri).toBe('https://localhost:8080');
});

test('npm run start:keyless -- --quiet quiets both children, as npm start does', () => {
  expect(quietChild(plan.emulator).args.at(-1)).toBe('--quiet');
  expect(quietChild(plan.functions).args.at(-1)).toBe('--quiet');
});

test('the emulator config: TLS, local auth disabled, the authority with the app identity as Service Owner, a handler per hub; test lifetimes passed through', () => {
  const entra = plan.emulatorConfig.entra as Record<string, unknown>;
  expect(plan.emulatorConfig).toMatchObject({ tls: true, disableLocalAuth: true });
  expect(entra).toMatchObject({ tenantId: LOCAL_DEPLOYMENT_IDS.tenantId, identityHeader: 'x'.repeat(32), tokenLifetimeSeconds: 5, clockSkewSeconds: 0 });
  expect(entra.roleAssignments).toEqual([{ principalId: LOCAL_DEPLOYMENT_IDS.appIdentity.principalId, roleDefinitionName: 'Web PubSub Service Owner' }]);
  expect(Object.keys(plan.emulatorConfig.hubs as object)).toEqual(['chat', 'ops']);
  expect(plan.appSettings.WebPubSubHub).toBe('chat,ops');
});

test('the shell cannot override the identity endpoint secret or add app settings infra does not set', () => {
  expect(plan.functions.env.IDENTITY_HEADER).toBe('x'.repeat(32));
  expect(plan.functions.env.NegotiateJwtSecret).toBe('');
});

test('the banner names the sign-in page, the https service, the authority and how to trust the CA', () => {
  const text = formatKeylessBanner(plan).join('\n');
  expect(text).toMatch(/Chat: +http:\/\/localhost:7071\//);
  expect(text).toMatch(/Sign in: +http:\/\/localhost:7071\/\.auth\/login\/aad/);
  expect(text).toMatch(/Web PubSub: +https:\/\/localhost:8080/);
  expect(text).toContain(`https://localhost:8080/${LOCAL_DEPLOYMENT_IDS.tenantId}/v2.0`);
  expect(text).toContain('/repo/.local-ca/ca.pem');
  expect(text).toMatch(/Press Ctrl-C to stop everything/);
});

describe('--signalr: both services of the emulator are named and waited for', () => {
  const both = planKeylessStack({
    functionsPort: 7071,
    emulatorPort: 8080,
    caDir: '/repo/.local-ca',
    caPath: '/repo/.local-ca/ca.pem',
    emulatorConfigPath: '/repo/.local-ca/keyless-emulator.json',
    hubs: ['chat'],
    routePrefix: 'api',
    eventHandlerRoute: 'eventhandler',
    identityHeader: 'x'.repeat(32),
    env: {},
    nodePath: '/usr/bin/node',
    signalr: { port: 8081, eventsRoute: 'signalr/events' },
  });

  test('the emulator serves two ports, and start.ts waits for the health of each over TLS before its banner', () => {
    expect(both.emulatorPorts).toEqual([8080, 8081]);
    expect(both.emulatorHealthUrls).toEqual(['https://localhost:8080/api/health', 'https://localhost:8081/api/health']);
    expect(both.emulator.description).toMatch(/Web PubSub and SignalR Service/);
    expect(both.emulator.args).toEqual(expect.arrayContaining(['--signalr-port', '8081']));
  });

  test('without --signalr: one port, one health check', () => {
    expect(plan.emulatorPorts).toEqual([8080]);
    expect(plan.emulatorHealthUrls).toEqual(['https://localhost:8080/api/health']);
  });

  test("the banner names both services' ports", () => {
    const text = formatKeylessBanner(both).join('\n');
    expect(text).toMatch(/Web PubSub: +https:\/\/localhost:8080 +\(local service on port 8080/);
    expect(text).toMatch(/SignalR: +https:\/\/localhost:8081 +\(local SignalR Service on port 8081/);
  });
});
