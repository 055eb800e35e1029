// functions/startup.ts validates the settings at import time: one log line, one short error.
describe('functions/startup', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('logs one "Configuration error" line naming each bad setting and throws a short error', () => {
    process.env = { WebPubSubConnectionString: 'AccessKey=secret-value-123', WebPubSubTokenLifetimeMinutes: '0' };
    const lines: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    let thrown: unknown;
    jest.isolateModules(() => {
      try {
        require('../../../functions/startup');
      } catch (e) {
        thrown = e;
      }
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: WebPubSubConnectionString: Endpoint is missing.*; WebPubSubTokenLifetimeMinutes: /);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).not.toContain('secret-value-123');
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).stack).toBe((thrown as Error).message);
  });

  it('loads quietly with the sample settings', () => {
    process.env = { WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;' };
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.isolateModules(() => {
      require('../../../functions/startup');
    });
    expect(spy).not.toHaveBeenCalled();
  });
});
