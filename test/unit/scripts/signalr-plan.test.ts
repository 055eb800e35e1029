import { planStack } from '../../../scripts/stack-plan';
import { formatBothServicesBanner, readSecondPort, withBothServices } from '../../../scripts/signalr-plan';

const base = planStack({
  useCoreTools: false,
  functionsPort: 7071,
  emulatorPort: 8080,
  accessKey: 'dev-key',
  hubs: ['chat'],
  routePrefix: 'api',
  eventHandlerRoute: 'eventhandler',
  negotiateAuth: undefined,
  env: {},
  nodePath: 'node',
});
const input = { accessKey: 'dev-key', hubs: ['chat', 'news'], eventsRoute: 'signalr/events', secondPort: 8081 };

describe('withBothServices', () => {
  it('npm start: Web PubSub on EMULATOR_PORT, SignalR beside it, the page on Web PubSub', () => {
    const plan = withBothServices(base, { ...input, chatService: 'webpubsub' });
    expect([plan.functionsPort, plan.emulatorPort, plan.webPubSubPort, plan.signalrPort]).toEqual([7071, 8080, 8080, 8081]);
    expect(plan.emulator.args).toEqual([
      'dist/emulator/main.js',
      '--port',
      '8080',
      '--key',
      'dev-key',
      '--upstream',
      'chat=http://localhost:7071/api/eventhandler',
      '--signalr-port',
      '8081',
      '--signalr-upstream',
      'chat=http://localhost:7071/api/signalr/events',
      '--signalr-upstream',
      'news=http://localhost:7071/api/signalr/events',
    ]);
    expect(plan.functions.env).toMatchObject({
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=dev-key;Version=1.0;',
      AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8081;AccessKey=dev-key;Version=1.0;',
      SignalRHub: 'chat,news',
      ChatService: 'webpubsub',
    });
    const banner = formatBothServicesBanner(plan).join('\n');
    expect(banner).toContain('Chat:        http://localhost:7071/');
    expect(banner).toContain('Web PubSub:  http://localhost:8080');
    expect(banner).toContain('SignalR:     http://localhost:8081');
    expect(banner.indexOf('Web PubSub:')).toBeLessThan(banner.indexOf('SignalR:'));
  });

  it('npm run start:signalr: SignalR on EMULATOR_PORT, Web PubSub beside it, the page on SignalR', () => {
    const plan = withBothServices(base, { ...input, chatService: 'signalr' });
    expect([plan.webPubSubPort, plan.signalrPort]).toEqual([8081, 8080]);
    expect(plan.emulator.args.slice(0, 3)).toEqual(['dist/emulator/main.js', '--port', '8081']);
    expect(plan.emulator.args).toContain('--signalr-port');
    expect(plan.emulator.args[plan.emulator.args.indexOf('--signalr-port') + 1]).toBe('8080');
    expect(plan.functions.env).toMatchObject({
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8081;AccessKey=dev-key;Version=1.0;',
      AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=dev-key;Version=1.0;',
      ChatService: 'signalr',
    });
    const banner = formatBothServicesBanner(plan).join('\n');
    expect(banner).toContain('over Azure SignalR Service');
    expect(banner).toContain('Hub URL:     http://localhost:7071/api/signalr?userId=alice');
    expect(banner).toContain('SignalR:     http://localhost:8080');
    expect(banner).toContain('Web PubSub:  http://localhost:8081');
    expect(banner).toContain('connection string: Endpoint=http://localhost;Port=8081;');
    expect(banner.indexOf('SignalR:')).toBeLessThan(banner.indexOf('Web PubSub:'));
  });

  it('refuses the same port for both services', () => {
    expect(() => withBothServices(base, { ...input, chatService: 'signalr', secondPort: 8080 })).toThrow(/both 8080/);
  });
});

describe('readSecondPort', () => {
  it('defaults to EMULATOR_PORT + 1, or a free port when EMULATOR_PORT is 0', () => {
    expect(readSecondPort({}, 8080)).toBe(8081);
    expect(readSecondPort({}, 0)).toBe(0);
    expect(readSecondPort({ EMULATOR_SECOND_PORT: '9000' }, 8080)).toBe(9000);
  });

  it('explains what to set when there is no port above EMULATOR_PORT, and refuses a bad value', () => {
    expect(() => readSecondPort({}, 65535)).toThrow(/set EMULATOR_SECOND_PORT/);
    expect(readSecondPort({ EMULATOR_SECOND_PORT: '1' }, 65535)).toBe(1);
    expect(() => readSecondPort({ EMULATOR_SECOND_PORT: 'x' }, 8080)).toThrow(/EMULATOR_SECOND_PORT must be a port number/);
  });
});
