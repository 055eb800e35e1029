import { formatPorts, planStack, quietChild, readPort, splitHubs, StartError, type PlanInput } from '../../../scripts/stack-plan';
import { formatBothServicesBanner, withBothServices } from '../../../scripts/signalr-plan';

/** The banner npm start prints for this plan (Web PubSub for the page, SignalR on the next port). */
const formatBanner = (plan: ReturnType<typeof planStack>): string[] =>
  formatBothServicesBanner(
    withBothServices(plan, { accessKey: 'dev-key', hubs: ['chat'], eventsRoute: 'signalr/events', chatService: 'webpubsub', secondPort: 8101 }),
  );

const input: PlanInput = {
  useCoreTools: false,
  functionsPort: 7100,
  emulatorPort: 8100,
  accessKey: 'dev-key',
  hubs: ['chat', 'ops'],
  routePrefix: 'api',
  eventHandlerRoute: 'eventhandler',
  negotiateAuth: undefined,
  env: { PATH: '/bin', WebPubSubConnectionString: 'Endpoint=https://real.webpubsub.azure.com;AccessKey=x;Version=1.0;', UNSET: undefined },
  nodePath: '/usr/bin/node',
};

describe('readPort', () => {
  it.each([
    [undefined, 7071],
    ['', 7071],
    ['0', 0],
    ['9000', 9000],
  ])('%j → %d', (raw, port) => expect(readPort({ PORT: raw }, 'PORT', 7071)).toBe(port));

  it.each(['abc', '-1', '70000', '80.5'])('refuses %j naming the variable', (raw) => {
    expect(() => readPort({ EMULATOR_PORT: raw }, 'EMULATOR_PORT', 8080)).toThrow(StartError);
    expect(() => readPort({ EMULATOR_PORT: raw }, 'EMULATOR_PORT', 8080)).toThrow(/^EMULATOR_PORT must be a port number/);
  });
});

describe('splitHubs', () => {
  it('splits a comma list and defaults to chat', () => {
    expect(splitHubs(' chat, ops ,')).toEqual(['chat', 'ops']);
    expect(splitHubs(undefined)).toEqual(['chat']);
  });
});

describe('planStack', () => {
  it('puts App Service Authentication in front of the app for NegotiateAuth=easyauth, and says how to sign in', () => {
    const plan = planStack({ ...input, negotiateAuth: 'EasyAuth' });
    expect(plan.functions.args).toEqual(['dist/local-host/main.js', '--port', '7100', '--static', 'dist/web', '--easyauth']);
    expect(plan.easyAuth).toBe(true);
    const banner = formatBanner(plan).join('\n');
    expect(banner).toContain('Sign in:     http://localhost:7100/.auth/login/aad');
    expect(banner).not.toContain('negotiate?userId=');
    expect(planStack(input).functions.args).not.toContain('--easyauth');
  });

  it('refuses NegotiateAuth=easyauth with Core Tools, which has no App Service Authentication', () => {
    expect(() => planStack({ ...input, useCoreTools: true, negotiateAuth: 'easyauth' })).toThrow(StartError);
  });

  it('points the functions at the emulator and the emulator at the event handler of every hub', () => {
    const plan = planStack(input);
    expect(plan.connectionString).toBe('Endpoint=http://localhost;Port=8100;AccessKey=dev-key;Version=1.0;');
    expect(plan.emulator.args).toEqual([
      'dist/emulator/main.js',
      '--port',
      '8100',
      '--key',
      'dev-key',
      '--upstream',
      'chat=http://localhost:7100/api/eventhandler',
      '--upstream',
      'ops=http://localhost:7100/api/eventhandler',
    ]);
    expect(plan.functions.args).toEqual(['dist/local-host/main.js', '--port', '7100', '--static', 'dist/web']);
    expect(plan.functions.env).toMatchObject({ PORT: '7100', WebPubSubConnectionString: plan.connectionString, NegotiateAuth: 'dev', PATH: '/bin' });
    expect(plan.functions.env).not.toHaveProperty('UNSET');
    expect(plan.chatUrls).toEqual(['http://localhost:7100/', 'http://localhost:7100/api/chat/']);
  });

  it('keeps a NegotiateAuth the user set', () => {
    expect(planStack({ ...input, negotiateAuth: 'jwt' }).functions.env.NegotiateAuth).toBe('jwt');
  });

  it('runs func start with --func and serves the page only under the route prefix', () => {
    const plan = planStack({ ...input, useCoreTools: true, routePrefix: '' });
    expect([plan.functions.command, ...plan.functions.args]).toEqual(['func', 'start', '--port', '7100']);
    expect(plan.chatUrls).toEqual(['http://localhost:7100/chat/']);
    expect(plan.emulator.args).toContain('chat=http://localhost:7100/eventhandler');
  });

  it('prints the chat, negotiate and publish URLs and the connection string', () => {
    const text = formatBanner(planStack(input)).join('\n');
    expect(text).toContain('Chat:        http://localhost:7100/   (open it in two browser tabs');
    expect(text).toContain('http://localhost:7100/api/negotiate?userId=alice');
    expect(text).toContain("curl -X POST http://localhost:7100/api/publish -H 'content-type: application/json'");
    expect(text).toContain('Endpoint=http://localhost;Port=8100;AccessKey=dev-key;Version=1.0;');
    expect(text).toContain('Ctrl-C');
  });
});

describe('quietChild', () => {
  it('adds --quiet to the emulator and the local host, and leaves Core Tools as it is', () => {
    const local = planStack(input);
    expect(quietChild(local.emulator).args).toEqual([...local.emulator.args, '--quiet']);
    expect(quietChild(local.functions).args).toEqual([...local.functions.args, '--quiet']);
    const func = planStack({ ...input, useCoreTools: true }).functions;
    expect(quietChild(func)).toBe(func);
  });

  it('goes by what the child is, not by how its script path is spelt, and adds --quiet once', () => {
    const emulator = planStack(input).emulator;
    const absolute = { ...emulator, args: ['/srv/app/dist/emulator/main.js', ...emulator.args.slice(1)] };
    expect(quietChild(absolute).args).toEqual([...absolute.args, '--quiet']);
    expect(quietChild(quietChild(emulator)).args.filter((a) => a === '--quiet')).toHaveLength(1);
    const coreTools = planStack({ ...input, useCoreTools: true }).functions;
    expect(quietChild({ ...coreTools, args: ['dist/local-host/main.js'] }).args).toEqual(['dist/local-host/main.js']);
  });
});

describe('formatPorts', () => {
  it('names one port, or every port the emulator serves', () => {
    expect(formatPorts([8080])).toBe('port 8080');
    expect(formatPorts([8080, 8081])).toBe('ports 8080 and 8081');
    expect(formatPorts([1, 2, 3])).toBe('ports 1, 2 and 3');
  });
});
