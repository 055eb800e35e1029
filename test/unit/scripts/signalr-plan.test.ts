import { planStack } from '../../../scripts/stack-plan';
import { formatSignalRBanner, withSignalR } from '../../../scripts/signalr-plan';

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

describe('withSignalR', () => {
  it('keeps the ports, runs the emulator as SignalR with the events upstream, and configures the app', () => {
    const plan = withSignalR(base, { accessKey: 'dev-key', hubs: ['chat', 'news'], eventsRoute: 'signalr/events' });
    expect(plan.functionsPort).toBe(7071);
    expect(plan.emulatorPort).toBe(8080);
    expect(plan.emulator.args).toEqual([
      'dist/emulator/main.js',
      '--service',
      'signalr',
      '--port',
      '8080',
      '--key',
      'dev-key',
      '--upstream',
      'chat=http://localhost:7071/api/signalr/events',
      '--upstream',
      'news=http://localhost:7071/api/signalr/events',
    ]);
    expect(plan.functions.env).toMatchObject({
      AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=dev-key;Version=1.0;',
      SignalRHub: 'chat,news',
    });
    const banner = formatSignalRBanner(plan).join('\n');
    expect(banner).toContain('http://localhost:7071/api/signalr?userId=alice');
    expect(banner).toContain('SignalR:     http://localhost:8080');
  });
});
