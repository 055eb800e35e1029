import { loadConfig } from '../../../../shared/config/app-config';
import { ConfigError } from '../../../../shared/http/errors';
import { findSignalRHub, readSignalRSettings } from '../../../../shared/signalr/signalr-settings';

const WPS = { WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;', NegotiateAuth: 'dev' };

function read(env: Record<string, string>): { settings: ReturnType<typeof readSignalRSettings>; problems: string[] } {
  const problems: string[] = [];
  const settings = readSignalRSettings((n) => env[n], problems);
  return { settings, problems };
}

describe('readSignalRSettings', () => {
  it('is optional: nothing set means no SignalR and no problem', () => {
    expect(read({})).toEqual({ settings: undefined, problems: [] });
    expect(loadConfig(WPS).signalr).toBeUndefined();
  });

  it('reads the connection string with Port, the secondary key and the default hub', () => {
    const { settings, problems } = read({
      AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8081;AccessKey=abc;Version=1.0;',
      AzureSignalRSecondaryAccessKey: 'def',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({ endpoint: 'http://localhost:8081', accessKeys: ['abc', 'def'], keyless: false, hubs: ['chat'], defaultHub: 'chat' });
  });

  it('sits beside Web PubSub in the one config', () => {
    const config = loadConfig({
      ...WPS,
      AzureSignalRConnectionString: 'Endpoint=https://x.service.signalr.net;AccessKey=abc;Version=1.0;',
      SignalRHub: 'Chat,news',
    });
    expect(config.service.endpoint).toBe('http://localhost:8080');
    expect(config.signalr).toMatchObject({ endpoint: 'https://x.service.signalr.net', hubs: ['Chat', 'news'], defaultHub: 'Chat' });
    expect(findSignalRHub(config.signalr!, 'chat')).toBe('Chat');
    expect(findSignalRHub(config.signalr!, '')).toBe('Chat');
    expect(findSignalRHub(config.signalr!, 'other')).toBeUndefined();
  });

  const OID = '0B1EC7E5-0000-4000-8000-00000000E001';

  const TOKEN = {
    SignalRUpstreamTokenTenantId: 'tenant1',
    SignalRUpstreamTokenAudience: 'api://app',
    SignalRUpstreamTokenCallerObjectId: OID,
  };

  it('accepts keyless https only, with an optional client id and the upstream token settings of its own', () => {
    const keyless = read({
      AzureSignalRConnectionString__serviceUri: 'https://x.service.signalr.net',
      AzureSignalRConnectionString__clientId: 'cid',
      ...TOKEN,
      SignalRUpstreamTokenJwksUrl: 'https://login.example.com/keys',
      SignalRUpstreamTokenIssuer: 'https://login.example.com/tenant1/v2.0',
    });
    expect(keyless.problems).toEqual([]);
    expect(keyless.settings).toMatchObject({
      endpoint: 'https://x.service.signalr.net',
      accessKeys: [],
      keyless: true,
      managedIdentityClientId: 'cid',
      upstreamToken: {
        tenantId: 'tenant1',
        audience: 'api://app',
        callerObjectId: OID.toLowerCase(),
        jwksUrl: 'https://login.example.com/keys',
        issuers: ['https://login.example.com/tenant1/v2.0'],
      },
    });
    expect(read({ AzureSignalRConnectionString__serviceUri: 'http://x', ...TOKEN }).problems[0]).toMatch(/https/);
  });

  it('keyless needs the tenant, audience and object id of the SignalR identity (upstream requests carry only its token), as a GUID', () => {
    expect(read({ AzureSignalRConnectionString__serviceUri: 'https://x.service.signalr.net' }).problems).toEqual([
      expect.stringMatching(/^SignalRUpstreamTokenTenantId: required with AzureSignalRConnectionString__serviceUri \(keyless\)/),
      expect.stringMatching(/^SignalRUpstreamTokenAudience: required/),
      expect.stringMatching(/^SignalRUpstreamTokenCallerObjectId: required/),
    ]);
    expect(
      read({ AzureSignalRConnectionString__serviceUri: 'https://x.service.signalr.net', ...TOKEN, SignalRUpstreamTokenCallerObjectId: 'nope' }).problems,
    ).toEqual([expect.stringMatching(/^SignalRUpstreamTokenCallerObjectId: must be a GUID/)]);
  });

  it('with keys the token check is optional, and partial token settings are an error rather than ignored', () => {
    const cs = 'Endpoint=https://x.service.signalr.net;AccessKey=abc;Version=1.0;';
    expect(read({ AzureSignalRConnectionString: cs }).settings?.upstreamToken).toBeUndefined();
    expect(read({ AzureSignalRConnectionString: cs, ...TOKEN }).settings?.upstreamToken?.callerObjectId).toBe(OID.toLowerCase());
    expect(read({ AzureSignalRConnectionString: cs, SignalRUpstreamTokenCallerObjectId: OID }).problems).toEqual([
      expect.stringMatching(/^SignalRUpstreamTokenTenantId: required once any SignalRUpstreamToken\* setting is set/),
      expect.stringMatching(/^SignalRUpstreamTokenAudience: required once/),
    ]);
  });

  it('names the setting in every problem and never echoes the key', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ AzureSignalRConnectionString: 'Endpoint=https://x;AccessKey=secret-value', AzureSignalRConnectionString__serviceUri: 'https://x' }, /both set/],
      [{ AzureSignalRConnectionString: 'Endpoint=https://x;Version=1.0;' }, /AccessKey is missing/],
      [{ AzureSignalRConnectionString: 'AccessKey=secret-value' }, /Endpoint is missing/],
      [{ AzureSignalRConnectionString: 'Endpoint=https://x;AccessKey=secret-value', SignalRHub: '1bad' }, /SignalRHub/],
      [{ AzureSignalRConnectionString: 'Endpoint=https://x;AccessKey=secret-value', SignalRHub: 'a,A' }, /twice/],
      [{ SignalRHub: 'chat' }, /only used with AzureSignalRConnectionString/],
      [{ AzureSignalRConnectionString__serviceUri: 'https://x', AzureSignalRSecondaryAccessKey: 'k' }, /keyless/],
    ];
    for (const [env, pattern] of cases) {
      const { problems } = read(env);
      expect(problems.join('\n')).toMatch(pattern);
      expect(problems.join('\n')).not.toContain('secret-value');
    }
    expect(() => loadConfig({ ...WPS, SignalRHub: 'chat' })).toThrow(ConfigError);
  });
});
