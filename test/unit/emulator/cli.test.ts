import { CliUsageError, parseCliArgs, USAGE } from '../../../emulator/cli';

describe('parseCliArgs', () => {
  it('returns defaults (nothing set) for no arguments', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { upstreams: [], keys: [] } });
  });

  it.each([[['--help']], [['-h']], [['--port', '1', '--help']]])('recognises help in %j', (argv) => {
    expect(parseCliArgs(argv)).toEqual({ kind: 'help' });
  });

  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const cmd = parseCliArgs([
      '--port=9000',
      '--host',
      '0.0.0.0',
      '--upstream',
      'chat=http://localhost:7071/api/{hub}/{event}',
      '--upstream=other=https://x.example/y?code=1',
      '--config',
      'hubs.json',
      '--key',
      'k1',
      '--secondary-key',
      'k2',
    ]);
    expect(cmd).toEqual({
      kind: 'run',
      options: {
        port: 9000,
        host: '0.0.0.0',
        configPath: 'hubs.json',
        upstreams: [
          { hub: 'chat', urlTemplate: 'http://localhost:7071/api/{hub}/{event}' },
          { hub: 'other', urlTemplate: 'https://x.example/y?code=1' },
        ],
        keys: ['k1', 'k2'],
      },
    });
  });

  it.each([
    [['--bogus'], /Unknown option --bogus/],
    [['stray'], /Unexpected argument/],
    [['--port'], /--port needs a value/],
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be a whole number/],
    [['--port', '--key', 'x'], /--port needs a value/],
    [['--upstream', 'no-equals'], /--upstream expects <hub>=<url>/],
    [['--upstream', '1hub=http://x'], /--upstream expects <hub>=<url>/],
    [['--upstream', 'chat=ftp://x'], /must start with http/],
    [['--upstream', 'chat=http://{hub}.example/'], /placeholders are not allowed in the host/],
    [['--key', ''], /must not be empty/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('parseCliArgs: SignalR Service', () => {
  it('reads --service signalr and --signalr-port, with {category} in an upstream template', () => {
    expect(parseCliArgs(['--service', 'signalr', '--upstream', 'chat=http://h/{hub}/{category}/{event}'])).toEqual({
      kind: 'run',
      options: { service: 'signalr', upstreams: [{ hub: 'chat', urlTemplate: 'http://h/{hub}/{category}/{event}' }], keys: [] },
    });
    expect(parseCliArgs(['--signalr-port=0'])).toEqual({ kind: 'run', options: { signalrPort: 0, upstreams: [], keys: [] } });
  });

  it('keeps --signalr-upstream apart from --upstream (Web PubSub) when both services run', () => {
    expect(
      parseCliArgs([
        '--upstream',
        'chat=http://a/api/eventhandler',
        '--signalr-port',
        '8081',
        '--signalr-upstream',
        'chat=http://a/api/signalr/events',
        '--signalr-upstream=*=http://b/{hub}',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        upstreams: [{ hub: 'chat', urlTemplate: 'http://a/api/eventhandler' }],
        signalrUpstreams: [
          { hub: 'chat', urlTemplate: 'http://a/api/signalr/events' },
          { hub: '*', urlTemplate: 'http://b/{hub}' },
        ],
        signalrPort: 8081,
        keys: [],
      },
    });
  });

  it.each([
    [['--service', 'mqtt'], /--service must be webpubsub or signalr/],
    [['--signalr-port', '-1'], /--signalr-port must be a whole number/],
    [['--signalr-upstream', 'chat'], /--signalr-upstream expects <hub>=<url>, e.g. chat=http:\/\/localhost:7071\/api\/signalr\/events/],
    [['--signalr-upstream', 'chat=ftp://x'], /--signalr-upstream chat: .*must start with http/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('keyless switches', () => {
  test('--tls, --disable-local-auth, --entra and --ca-dir', () => {
    const command = parseCliArgs(['--tls', '--disable-local-auth', '--entra', '--ca-dir', '/tmp/ca', '--port', '0']);
    expect(command).toEqual({ kind: 'run', options: expect.objectContaining({ tls: true, disableLocalAuth: true, entra: true, caDir: '/tmp/ca', port: 0 }) });
  });
  test('absent switches are absent; --ca-dir needs a value', () => {
    const command = parseCliArgs([]);
    expect(command.kind === 'run' && command.options).not.toHaveProperty('tls');
    expect(() => parseCliArgs(['--ca-dir'])).toThrow(/--ca-dir needs a value/);
  });
});

describe('--quiet', () => {
  test('sets quiet; absent, it is not set', () => {
    expect(parseCliArgs(['--quiet', '--port', '0'])).toEqual({ kind: 'run', options: expect.objectContaining({ quiet: true, port: 0 }) });
    const plain = parseCliArgs(['--port', '0']);
    expect(plain.kind === 'run' && plain.options).not.toHaveProperty('quiet');
  });
  test('is listed in the usage', () => {
    expect(USAGE).toMatch(/--quiet/);
  });
});
