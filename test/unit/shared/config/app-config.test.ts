import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKnownSetting, KNOWN_SETTINGS, loadConfig, PLATFORM_SETTINGS } from '../../../../shared/config/app-config';
import { ConfigError } from '../../../../shared/http/errors';

const CS = 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;';
const GUID = '11111111-2222-3333-4444-555555555555';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS });
  it('uses hub chat, no group roles (least privilege), no groups, 60 minute tokens, dev auth, no CORS', () => {
    expect(config.defaultHub).toBe('chat');
    expect(config.hubs).toEqual([{ name: 'chat', roles: [], groups: [] }]);
    expect(config.tokenLifetimeMinutes).toBe(60);
    expect(config.negotiateAuth).toEqual({ mode: 'dev' });
    expect(config.corsAllowedOrigins).toEqual([]);
    expect(config.eventHandlerToken).toBeUndefined();
  });
  it('takes the endpoint host name (no port) as the allowed WebHook-Request-Origin', () => {
    expect(config.service).toEqual({ endpoint: 'http://localhost:8080', accessKeys: [expect.any(String)], keyless: false });
    expect(config.eventHandlerAllowedOrigins).toEqual(['localhost']);
  });
  it('returns a deeply frozen object', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.hubs[0]!.roles)).toBe(true);
    expect(() => (config.hubs as unknown as unknown[]).push('x')).toThrow();
  });
  it('treats empty values as unset', () => {
    expect(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubHub: '', WebPubSubTokenLifetimeMinutes: ' ' }).defaultHub).toBe('chat');
  });
});

describe('loadConfig settings', () => {
  it('reads several hubs, the first being the default, with per-hub roles and groups', () => {
    const c = loadConfig({
      NegotiateAuth: 'dev',
      WebPubSubConnectionString: CS,
      WebPubSubHub: 'lobby, Games',
      WebPubSubRoles: 'webpubsub.sendToGroup',
      WebPubSubRoles__games: 'none',
      WebPubSubGroups__Lobby: 'news,alerts',
      WebPubSubTokenLifetimeMinutes: '15',
    });
    expect(c.defaultHub).toBe('lobby');
    expect(c.hubs).toEqual([
      { name: 'lobby', roles: ['webpubsub.sendToGroup'], groups: ['news', 'alerts'] },
      { name: 'Games', roles: [], groups: [] },
    ]);
    expect(c.tokenLifetimeMinutes).toBe(15);
  });
  it('keeps the secondary key after the primary', () => {
    expect(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubSecondaryAccessKey: 'second' }).service.accessKeys).toEqual([
      'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789',
      'second',
    ]);
  });
  it('supports keyless mode with the Entra event-handler settings and default issuers/JWKS', () => {
    const c = loadConfig({
      WebPubSubConnectionString__serviceUri: 'https://contoso.webpubsub.azure.com',
      WebPubSubConnectionString__clientId: 'cid',
      EventHandlerTokenTenantId: 'tenant1',
      EventHandlerTokenAudience: 'api://wps-upstream',
      EventHandlerTokenCallerObjectId: GUID.toUpperCase(),
      NegotiateAuth: 'easyauth',
      WEBSITE_SITE_NAME: 'app',
      WEBSITE_AUTH_ENABLED: 'True',
    });
    expect(c.service).toEqual({ endpoint: 'https://contoso.webpubsub.azure.com', accessKeys: [], keyless: true, managedIdentityClientId: 'cid' });
    expect(c.eventHandlerToken).toEqual({
      tenantId: 'tenant1',
      audience: 'api://wps-upstream',
      callerObjectId: GUID,
      jwksUrl: 'https://login.microsoftonline.com/tenant1/discovery/v2.0/keys',
      issuers: ['https://login.microsoftonline.com/tenant1/v2.0', 'https://sts.windows.net/tenant1/'],
    });
    expect(c.hostedInAzure).toBe(true);
  });
  describe("each service's upstream check follows its own settings", () => {
    const SIGNALR_OID = '0b1ec7e5-0000-4000-8000-00000000e001';
    const signalrToken = {
      SignalRUpstreamTokenTenantId: 'tenant1',
      SignalRUpstreamTokenAudience: 'api://signalr-upstream',
      SignalRUpstreamTokenCallerObjectId: SIGNALR_OID.toUpperCase(),
    };
    it('Web PubSub on keys with keyless SignalR: /api/eventhandler checks ce-signature only, SignalR checks its token', () => {
      const c = loadConfig({
        NegotiateAuth: 'dev',
        WebPubSubConnectionString: CS,
        AzureSignalRConnectionString__serviceUri: 'https://s.service.signalr.net',
        ...signalrToken,
      });
      expect(c.service.keyless).toBe(false);
      expect(c.eventHandlerToken).toBeUndefined();
      expect(c.signalr?.upstreamToken).toEqual({
        tenantId: 'tenant1',
        audience: 'api://signalr-upstream',
        callerObjectId: SIGNALR_OID,
        jwksUrl: 'https://login.microsoftonline.com/tenant1/discovery/v2.0/keys',
        issuers: ['https://login.microsoftonline.com/tenant1/v2.0', 'https://sts.windows.net/tenant1/'],
      });
    });
    it('SignalR on keys with its token settings: both X-ASRS-Signature and the token are checked (not silently dropped)', () => {
      const c = loadConfig({
        NegotiateAuth: 'dev',
        WebPubSubConnectionString: CS,
        AzureSignalRConnectionString: 'Endpoint=https://s.service.signalr.net;AccessKey=k;Version=1.0;',
        ...signalrToken,
      });
      expect(c.signalr?.keyless).toBe(false);
      expect(c.signalr?.upstreamToken?.callerObjectId).toBe(SIGNALR_OID);
      expect(c.eventHandlerToken).toBeUndefined();
    });
    it('keyless Web PubSub with SignalR on keys: SignalR does not borrow the Web PubSub token settings', () => {
      const c = loadConfig({
        NegotiateAuth: 'dev',
        WebPubSubConnectionString__serviceUri: 'https://contoso.webpubsub.azure.com',
        EventHandlerTokenTenantId: 'tenant1',
        EventHandlerTokenAudience: 'api://wps-upstream',
        EventHandlerTokenCallerObjectId: GUID,
        AzureSignalRConnectionString: 'Endpoint=https://s.service.signalr.net;AccessKey=k;Version=1.0;',
      });
      expect(c.eventHandlerToken?.audience).toBe('api://wps-upstream');
      expect(c.signalr?.upstreamToken).toBeUndefined();
    });
    it('a lone SignalRUpstreamTokenCallerObjectId with SignalR on keys is a configuration error, not ignored', () => {
      expect(
        problemsOf({
          NegotiateAuth: 'dev',
          WebPubSubConnectionString: CS,
          AzureSignalRConnectionString: 'Endpoint=https://s.service.signalr.net;AccessKey=k;Version=1.0;',
          SignalRUpstreamTokenCallerObjectId: GUID,
        }),
      ).toEqual([
        'SignalRUpstreamTokenTenantId: required once any SignalRUpstreamToken* setting is set',
        "SignalRUpstreamTokenAudience: required once any SignalRUpstreamToken* setting is set (the upstream template's auth.managedIdentity.resource)",
      ]);
    });
  });
  it('reads jwt mode', () => {
    const c = loadConfig({
      WebPubSubConnectionString: CS,
      NegotiateAuth: 'jwt',
      NegotiateJwtJwksUrl: 'https://login.example.com/keys',
      NegotiateJwtIssuer: 'https://login.example.com/',
      NegotiateJwtAudience: 'api://chat',
      NegotiateJwtUserClaim: 'oid',
    });
    expect(c.negotiateAuth).toEqual({
      mode: 'jwt',
      jwksUrl: 'https://login.example.com/keys',
      issuer: 'https://login.example.com/',
      audience: 'api://chat',
      userClaim: 'oid',
    });
  });
  it('normalizes CORS origins and extra WebHook origins', () => {
    const c = loadConfig({
      NegotiateAuth: 'dev',
      WebPubSubConnectionString: CS,
      CorsAllowedOrigins: 'https://A.example.com, http://localhost:3000',
      EventHandlerAllowedOrigins: 'Tunnel.example.com:443, https://other.example.net',
    });
    expect(c.corsAllowedOrigins).toEqual(['https://a.example.com', 'http://localhost:3000']);
    expect(c.eventHandlerAllowedOrigins).toEqual(['localhost', 'tunnel.example.com', 'other.example.net']);
  });
});

describe('loadConfig errors name each setting', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /^WebPubSubConnectionString: not set/],
    [{ WebPubSubConnectionString: 'AccessKey=k' }, /^WebPubSubConnectionString: Endpoint is missing/],
    [{ WebPubSubConnectionString: 'Endpoint=https://a.webpubsub.azure.com;Version=1.0' }, /^WebPubSubConnectionString: AccessKey is missing/],
    [{ WebPubSubConnectionString: CS, WebPubSubConnectionString__serviceUri: 'https://a' }, /both set/],
    [
      {
        WebPubSubConnectionString__serviceUri: 'http://a.example.com',
        EventHandlerTokenTenantId: 't',
        EventHandlerTokenAudience: 'a',
        EventHandlerTokenCallerObjectId: GUID,
      },
      /^WebPubSubConnectionString__serviceUri: must be an https/,
    ],
    [{ WebPubSubConnectionString: CS, WebPubSubConnectionString__clientId: 'x' }, /^WebPubSubConnectionString__clientId:/],
    [{ WebPubSubConnectionString: CS, WebPubSubHub: '1abc' }, /^WebPubSubHub: "1abc" is not a valid hub name/],
    [{ WebPubSubConnectionString: CS, WebPubSubHub: 'a,A' }, /^WebPubSubHub: "A" is listed twice/],
    [{ WebPubSubConnectionString: CS, WebPubSubRoles: 'admin' }, /^WebPubSubRoles: "admin" is not a Web PubSub role/],
    [{ WebPubSubConnectionString: CS, WebPubSubRoles__chat: 'webpubsub.everything' }, /^WebPubSubRoles__chat: /],
    [{ WebPubSubConnectionString: CS, WebPubSubRoles__lobby: 'none' }, /^WebPubSubRoles__lobby: hub "lobby" is not listed in WebPubSubHub/],
    [{ WebPubSubConnectionString: CS, WebPubSubTokenLifetimeMinutes: '0' }, /^WebPubSubTokenLifetimeMinutes: "0" must be a whole number from 1 to 1440/],
    [{ WebPubSubConnectionString: CS, WebPubSubTokenLifetimeMinutes: '1441' }, /^WebPubSubTokenLifetimeMinutes/],
    [{ WebPubSubConnectionString: CS, WebPubSubTokenLifetimeMinutes: '1.5' }, /^WebPubSubTokenLifetimeMinutes/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'basic' }, /^NegotiateAuth: "basic" is not one of dev, easyauth, jwt/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'dev', WEBSITE_INSTANCE_ID: 'abc' }, /^NegotiateAuth: "dev" .* refused when hosted in Azure/],
    // Outside App Service nothing tells production from a laptop: no silent dev default (Container Apps, Kubernetes).
    [{ WebPubSubConnectionString: CS }, /^NegotiateAuth: not set; set it to "easyauth" .* "jwt" .* "dev"/],
    [{ WebPubSubConnectionString: CS, WEBSITE_SITE_NAME: ' ' }, /^NegotiateAuth: not set/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: ' ' }, /^NegotiateAuth: not set/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'easyauth', WEBSITE_SITE_NAME: 'app' }, /^NegotiateAuth: "easyauth" needs App Service Authentication/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'jwt', NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' }, /^NegotiateJwtJwksUrl: required/],
    [
      {
        WebPubSubConnectionString: CS,
        NegotiateAuth: 'jwt',
        NegotiateJwtSecret: 's'.repeat(32),
        NegotiateJwtJwksUrl: 'https://x/k',
        NegotiateJwtIssuer: 'i',
        NegotiateJwtAudience: 'a',
      },
      /^NegotiateJwtJwksUrl and NegotiateJwtSecret are both set/,
    ],
    [
      { WebPubSubConnectionString: CS, NegotiateAuth: 'jwt', NegotiateJwtSecret: 'short', NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' },
      /^NegotiateJwtSecret: must be at least 32 bytes/,
    ],
    [
      {
        WebPubSubConnectionString: CS,
        NegotiateAuth: 'jwt',
        NegotiateJwtJwksUrl: 'http://idp.example.com/keys',
        NegotiateJwtIssuer: 'i',
        NegotiateJwtAudience: 'a',
      },
      /^NegotiateJwtJwksUrl: must be an https/,
    ],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'jwt', NegotiateJwtSecret: 's'.repeat(32), NegotiateJwtAudience: 'a' }, /^NegotiateJwtIssuer: required/],
    [{ WebPubSubConnectionString: CS, NegotiateAuth: 'jwt', NegotiateJwtSecret: 's'.repeat(32), NegotiateJwtIssuer: 'i' }, /^NegotiateJwtAudience: required/],
    [
      { WebPubSubConnectionString: CS, CorsAllowedOrigins: 'https://a.example.com/path' },
      /^CorsAllowedOrigins: "https:\/\/a.example.com\/path" is not an origin/,
    ],
    [{ WebPubSubConnectionString: CS, CorsAllowedOrigins: '*, https://a.example.com' }, /^CorsAllowedOrigins: "\*" cannot be combined/],
    [{ WebPubSubConnectionString: CS, EventHandlerAllowedOrigins: 'host/with/path' }, /^EventHandlerAllowedOrigins: "host\/with\/path" is not a host name/],
    [{ WebPubSubConnectionString__serviceUri: 'https://a.webpubsub.azure.com' }, /^EventHandlerTokenTenantId: required in keyless mode/],
    [
      { WebPubSubConnectionString: CS, AzureSignalRConnectionString__serviceUri: 'https://s.service.signalr.net', SignalRUpstreamTokenCallerObjectId: GUID },
      /^SignalRUpstreamTokenTenantId: required with AzureSignalRConnectionString__serviceUri \(keyless\)/,
    ],
    [
      { WebPubSubConnectionString: CS, AzureSignalRConnectionString: 'Endpoint=https://s;AccessKey=k;Version=1.0;', SignalRUpstreamTokenCallerObjectId: GUID },
      /^SignalRUpstreamTokenTenantId: required once any SignalRUpstreamToken\* setting is set/,
    ],
    [
      { WebPubSubConnectionString__serviceUri: 'https://a.webpubsub.azure.com', EventHandlerTokenTenantId: 't' },
      /^EventHandlerTokenAudience: required in keyless mode/,
    ],
    [
      { WebPubSubConnectionString__serviceUri: 'https://a.webpubsub.azure.com', EventHandlerTokenTenantId: 't', EventHandlerTokenAudience: 'a' },
      /^EventHandlerTokenCallerObjectId: required in keyless mode/,
    ],
    [
      {
        WebPubSubConnectionString__serviceUri: 'https://a.webpubsub.azure.com',
        EventHandlerTokenTenantId: 't',
        EventHandlerTokenAudience: 'a',
        EventHandlerTokenCallerObjectId: 'not-a-guid',
      },
      /^EventHandlerTokenCallerObjectId: must be a GUID/,
    ],
    [
      {
        WebPubSubConnectionString__serviceUri: 'https://a.webpubsub.azure.com',
        WebPubSubSecondaryAccessKey: 'k',
        EventHandlerTokenTenantId: 't',
        EventHandlerTokenAudience: 'a',
        EventHandlerTokenCallerObjectId: GUID,
      },
      /^WebPubSubSecondaryAccessKey: only used with an access key/,
    ],
    [{ WebPubSubConnectionString: CS, EventHandlerTokenAudience: 'a' }, /^EventHandlerTokenTenantId: required once any EventHandlerToken\* setting is set/],
  ];
  it.each(cases.map(([env, re]) => [re.source, env, re] as const))('reports /%s/', (_name, env, message) => {
    expect(problemsOf(env).some((p) => message.test(p))).toBe(true);
  });

  it('skips empty list items instead of reporting them', () => {
    expect(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubGroups: 'a,   ,b', WebPubSubGroups__chat: ' ' }).hubs[0]!.groups).toEqual(
      ['a', 'b'],
    );
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({ WebPubSubConnectionString: CS, WebPubSubHub: '9', WebPubSubTokenLifetimeMinutes: 'x', NegotiateAuth: 'nope' });
    expect(problems).toHaveLength(3);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('never puts a secret value in a message', () => {
    const secret = 'TopSecretValue-123456789012345678901234567890';
    const problems = problemsOf({
      WebPubSubConnectionString: `Endpoint=http://a;Port=99999;AccessKey=${secret}`,
      NegotiateAuth: 'jwt',
      NegotiateJwtSecret: 'tiny-secret',
    });
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems.join('\n')).not.toContain('tiny-secret');
  });
});

describe('KNOWN_SETTINGS and local.settings.sample.json', () => {
  const sample = JSON.parse(readFileSync(join(__dirname, '../../../../local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };

  it('lists only settings loadConfig knows or the platform owns', () => {
    for (const key of Object.keys(sample.Values)) expect(isKnownSetting(key) || PLATFORM_SETTINGS.includes(key)).toBe(true);
  });
  it('loads cleanly', () => {
    const c = loadConfig(sample.Values);
    expect(c.service.endpoint).toBe('http://localhost:8080');
    expect(c.negotiateAuth.mode).toBe('dev');
    // Same origin only: with "*" any page the developer visits could call the local app.
    expect(c.corsAllowedOrigins).toEqual([]);
  });
  it('keeps the emulator default connection string exactly', () => {
    expect(sample.Values.WebPubSubConnectionString).toBe(CS);
  });
  it('knows the per-hub patterns and no duplicates', () => {
    expect(new Set(KNOWN_SETTINGS).size).toBe(KNOWN_SETTINGS.length);
    expect(isKnownSetting('WebPubSubRoles__chat')).toBe(true);
    expect(isKnownSetting('WebPubSubGroups__Lobby')).toBe(true);
    expect(isKnownSetting('WebPubSubRole')).toBe(false);
  });
  it('every known setting changes what loadConfig returns or reports (no dead names)', () => {
    const base = { WebPubSubConnectionString: CS, NegotiateAuth: 'dev' };
    const baseline = JSON.stringify(loadConfig(base));
    const probe: Record<string, Record<string, string>> = {
      WebPubSubConnectionString: { WebPubSubConnectionString: 'Endpoint=https://x;AccessKey=k' },
      WebPubSubConnectionString__serviceUri: { WebPubSubConnectionString: '', WebPubSubConnectionString__serviceUri: 'https://x' },
      WebPubSubConnectionString__clientId: { WebPubSubConnectionString__clientId: 'c' },
      WebPubSubSecondaryAccessKey: { WebPubSubSecondaryAccessKey: 'k2' },
      WebPubSubHub: { WebPubSubHub: 'other' },
      WebPubSubRoles: { WebPubSubRoles: 'webpubsub.joinLeaveGroup' },
      'WebPubSubRoles__<hub>': { WebPubSubRoles__chat: 'webpubsub.joinLeaveGroup' },
      WebPubSubGroups: { WebPubSubGroups: 'g' },
      'WebPubSubGroups__<hub>': { WebPubSubGroups__chat: 'g' },
      WebPubSubTokenLifetimeMinutes: { WebPubSubTokenLifetimeMinutes: '5' },
      NegotiateAuth: { NegotiateAuth: 'easyauth' },
      NegotiateJwtJwksUrl: { NegotiateAuth: 'jwt', NegotiateJwtJwksUrl: 'https://x/k', NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' },
      NegotiateJwtSecret: { NegotiateAuth: 'jwt', NegotiateJwtSecret: 's'.repeat(32), NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' },
      NegotiateJwtIssuer: { NegotiateAuth: 'jwt', NegotiateJwtSecret: 's'.repeat(32), NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' },
      NegotiateJwtAudience: { NegotiateAuth: 'jwt', NegotiateJwtSecret: 's'.repeat(32), NegotiateJwtIssuer: 'i', NegotiateJwtAudience: 'a' },
      NegotiateJwtUserClaim: {
        NegotiateJwtUserClaim: 'oid',
        NegotiateAuth: 'jwt',
        NegotiateJwtSecret: 's'.repeat(32),
        NegotiateJwtIssuer: 'i',
        NegotiateJwtAudience: 'a',
      },
      CorsAllowedOrigins: { CorsAllowedOrigins: '*' },
      EventHandlerAllowedOrigins: { EventHandlerAllowedOrigins: 'x.example.com' },
      EventHandlerTokenTenantId: { EventHandlerTokenTenantId: 't' },
      EventHandlerTokenAudience: { EventHandlerTokenAudience: 'a' },
      EventHandlerTokenCallerObjectId: { EventHandlerTokenCallerObjectId: GUID },
      EventHandlerTokenJwksUrl: { EventHandlerTokenJwksUrl: 'https://x/k' },
      EventHandlerTokenIssuer: { EventHandlerTokenIssuer: 'https://issuer' },
      AzureSignalRConnectionString: { AzureSignalRConnectionString: 'Endpoint=https://s;AccessKey=k;Version=1.0;' },
      AzureSignalRConnectionString__serviceUri: { AzureSignalRConnectionString__serviceUri: 'https://s' },
      AzureSignalRConnectionString__clientId: { AzureSignalRConnectionString__clientId: 'c' },
      AzureSignalRSecondaryAccessKey: { AzureSignalRSecondaryAccessKey: 'k2' },
      SignalRHub: { SignalRHub: 'other' },
      ChatService: { ChatService: 'mqtt' },
      SignalRUpstreamTokenTenantId: { SignalRUpstreamTokenTenantId: 't' },
      SignalRUpstreamTokenAudience: { SignalRUpstreamTokenAudience: 'a' },
      SignalRUpstreamTokenCallerObjectId: { SignalRUpstreamTokenCallerObjectId: GUID },
      SignalRUpstreamTokenJwksUrl: { SignalRUpstreamTokenJwksUrl: 'https://x/k' },
      SignalRUpstreamTokenIssuer: { SignalRUpstreamTokenIssuer: 'https://issuer' },
    };
    expect(Object.keys(probe).sort()).toEqual([...KNOWN_SETTINGS].sort());
    for (const env of Object.values(probe)) {
      let outcome: string;
      try {
        outcome = JSON.stringify(loadConfig({ ...base, ...env }));
      } catch (e) {
        outcome = String(e);
      }
      expect(outcome).not.toBe(baseline);
    }
  });
});

describe('settingNames', () => {
  it('lists the known settings a problem names, in order, without repeats or quoted values', () => {
    const { settingNames } = require('../../../../shared/config/app-config') as typeof import('../../../../shared/config/app-config');
    expect(
      settingNames([
        'WebPubSubConnectionString and WebPubSubConnectionString__serviceUri are both set: set exactly one',
        'WebPubSubHub: "NegotiateAuth" is not a valid hub name',
        'WebPubSubRoles__chat: "x" is not a Web PubSub role',
        'WebPubSubHub: no hub name given',
      ]),
    ).toEqual(['WebPubSubConnectionString', 'WebPubSubConnectionString__serviceUri', 'WebPubSubHub', 'WebPubSubRoles__chat']);
  });
});
