import { ConfigError } from '../../../emulator/core/service-errors';
import { DEVELOPMENT_KEY, normalizeHubs, parseHubsConfig, readSampleSettings, validateUrlTemplate, withHandler } from '../../../emulator/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('parseHubsConfig', () => {
  it('fills defaults and keys hubs case-insensitively', () => {
    const hubs = parseHubsConfig({ hubs: { Chat: { eventHandlers: [{ urlTemplate: 'http://h/{event}' }] } } });
    expect(hubs.get('chat')).toEqual({
      name: 'Chat',
      eventHandlers: [{ urlTemplate: 'http://h/{event}', userEventPattern: '*', systemEvents: ['connect', 'connected', 'disconnected'] }],
      anonymousConnectPolicy: 'deny',
      webSocketKeepAliveIntervalInSeconds: 20,
    });
  });

  it('keeps ordered handlers and their filters', () => {
    const hubs = parseHubsConfig({
      hubs: {
        chat: {
          anonymousConnectPolicy: 'allow',
          webSocketKeepAliveIntervalInSeconds: 5,
          eventHandlers: [
            { urlTemplate: 'http://a/', userEventPattern: 'x,y', systemEvents: [] },
            { urlTemplate: 'http://b/', userEventPattern: '', systemEvents: ['connect'] },
          ],
        },
      },
    });
    const chat = hubs.get('chat')!;
    expect(chat.eventHandlers.map((h) => h.urlTemplate)).toEqual(['http://a/', 'http://b/']);
    expect(chat.anonymousConnectPolicy).toBe('allow');
    expect(chat.webSocketKeepAliveIntervalInSeconds).toBe(5);
  });

  it('reports every problem at once, by path', () => {
    let error: ConfigError | undefined;
    try {
      parseHubsConfig({
        hubs: {
          '9bad': {},
          chat: { anonymousConnectPolicy: 'maybe', webSocketKeepAliveIntervalInSeconds: 0, eventHandlers: [{ urlTemplate: 'nope', systemEvents: ['joined'] }] },
        },
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      expect.stringContaining('hubs.9bad: invalid hub name'),
      expect.stringContaining('hubs.chat.eventHandlers[0].urlTemplate'),
      expect.stringContaining('hubs.chat.eventHandlers[0].systemEvents'),
      expect.stringContaining('hubs.chat.anonymousConnectPolicy'),
      expect.stringContaining('hubs.chat.webSocketKeepAliveIntervalInSeconds'),
    ]);
  });

  it.each([[null], [[]], [{ hubs: [] }]])('rejects a config that is not an object of hubs: %j', (json) => {
    expect(() => parseHubsConfig(json)).toThrow(ConfigError);
  });
});

describe('validateUrlTemplate', () => {
  it.each([
    ['http://localhost:7071/api/{hub}/{event}', undefined],
    ['https://x.example/runtime/webhooks/webpubsub?code=k', undefined],
    ['localhost:7071/x', expect.stringContaining('http')],
    ['http://{hub}.example/', expect.stringContaining('host')],
  ])('%s', (template, problem) => {
    expect(validateUrlTemplate(template)).toEqual(problem);
  });
});

describe('withHandler and normalizeHubs', () => {
  it('appends a handler to an existing hub and creates a missing one', () => {
    const base = normalizeHubs({ chat: { eventHandlers: [{ urlTemplate: 'http://a/' }] } });
    const next = withHandler(withHandler(base, 'CHAT', { urlTemplate: 'http://b/', userEventPattern: '*', systemEvents: [] }), 'new', {
      urlTemplate: 'http://c/',
      userEventPattern: '*',
      systemEvents: [],
    });
    expect(next.get('chat')!.eventHandlers.map((h) => h.urlTemplate)).toEqual(['http://a/', 'http://b/']);
    expect(next.get('new')!.name).toBe('new');
    expect(base.get('chat')!.eventHandlers).toHaveLength(1);
  });
});

describe('readSampleSettings', () => {
  it('reads the port and key of the repository sample', () => {
    const path = join(__dirname, '../../../local.settings.sample.json');
    expect(readSampleSettings(readFileSync(path, 'utf8'), path)).toEqual({ port: 8080, key: DEVELOPMENT_KEY });
  });

  it.each([['not json'], ['{}'], ['{"Values":{"WebPubSubConnectionString":"Endpoint=http://localhost;Version=1.0;"}}']])('rejects %s', (text) => {
    expect(() => readSampleSettings(text, 'x.json')).toThrow(ConfigError);
  });
});

describe('event handler auth (ARM UpstreamAuthSettings)', () => {
  const hubWith = (auth: unknown) => ({ hubs: { chat: { eventHandlers: [{ urlTemplate: 'http://localhost:7071/api/eventhandler', auth }] } } });
  test('ManagedIdentity with a resource is kept; None and absent mean no auth', () => {
    expect(parseHubsConfig(hubWith({ type: 'ManagedIdentity', managedIdentity: { resource: 'api://app' } })).get('chat')!.eventHandlers[0]!.auth).toEqual({
      type: 'ManagedIdentity',
      managedIdentity: { resource: 'api://app' },
    });
    expect(parseHubsConfig(hubWith({ type: 'None' })).get('chat')!.eventHandlers[0]!.auth).toBeUndefined();
    expect(parseHubsConfig(hubWith(undefined)).get('chat')!.eventHandlers[0]).not.toHaveProperty('auth');
  });
  test('ManagedIdentity without a resource, or an unknown type, is refused by JSON path', () => {
    expect(() => parseHubsConfig(hubWith({ type: 'ManagedIdentity' }))).toThrow(/hubs\.chat\.eventHandlers\[0\]\.auth\.managedIdentity\.resource/);
    expect(() => parseHubsConfig(hubWith({ type: 'Key' }))).toThrow(/hubs\.chat\.eventHandlers\[0\]\.auth: expected/);
  });
});
