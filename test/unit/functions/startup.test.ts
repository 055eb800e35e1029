// functions/startup.ts validates the settings at load: one log line, and the app still loads, so its
// functions are registered and can say what is wrong (misconfigured.ts) instead of every route answering 404.
describe('functions/startup', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('logs one "Configuration error" line naming each bad setting, and does not throw', () => {
    process.env = { WebPubSubConnectionString: 'AccessKey=secret-value-123', WebPubSubTokenLifetimeMinutes: '0' };
    const lines: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    jest.isolateModules(() => {
      require('../../../functions/startup');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: WebPubSubConnectionString: Endpoint is missing.*; WebPubSubTokenLifetimeMinutes: /);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).not.toContain('secret-value-123');
  });

  it('reports a missing NegotiateAuth, naming it (no silent dev outside App Service)', () => {
    process.env = {
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;',
      WEBSITE_SITE_NAME: '',
    };
    const lines: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    jest.isolateModules(() => {
      require('../../../functions/startup');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: NegotiateAuth: not set; set it to "easyauth"/);
  });

  it('loads quietly with the sample settings', () => {
    process.env = {
      NegotiateAuth: 'dev',
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;',
    };
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.isolateModules(() => {
      require('../../../functions/startup');
    });
    expect(spy).not.toHaveBeenCalled();
  });
});
