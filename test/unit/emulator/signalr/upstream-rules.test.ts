import { ConfigError } from '../../../../emulator/core/service-errors';
import { parseSignalRConfig, ruleFor, type UpstreamRule } from '../../../../emulator/signalr/upstream-rules';

const connected = { hub: 'Chat', category: 'connections', event: 'connected' } as const;
const shout = { hub: 'chat', category: 'messages', event: 'shout' } as const;

const templateFor = (rules: readonly UpstreamRule[], e: Parameters<typeof ruleFor>[1]) => ruleFor(rules, e)?.urlTemplate;

describe('ruleFor', () => {
  it('takes the first template whose hub, category and event patterns all match', () => {
    const rules = [
      { hubPattern: 'chat', categoryPattern: 'connections', eventPattern: '*', urlTemplate: 'http://a/conn' },
      { hubPattern: 'news,chat', categoryPattern: '*', eventPattern: 'shout, whisper', urlTemplate: 'http://a/loud' },
      { hubPattern: '*', categoryPattern: '*', eventPattern: '*', urlTemplate: 'http://a/rest' },
    ];
    expect(templateFor(rules, connected)).toBe('http://a/conn');
    expect(templateFor(rules, shout)).toBe('http://a/loud');
    expect(templateFor(rules, { ...shout, event: 'Shout' })).toBe('http://a/rest');
    expect(templateFor(rules.slice(0, 2), { hub: 'other', category: 'messages', event: 'shout' })).toBeUndefined();
  });
});

describe('parseSignalRConfig', () => {
  it('reads signalr.upstream.templates in order; a missing pattern matches anything', () => {
    expect(
      parseSignalRConfig({
        hubs: {},
        signalr: {
          upstream: {
            templates: [{ hubPattern: 'chat', categoryPattern: 'messages', urlTemplate: 'http://h/{hub}/{event}' }, { urlTemplate: 'http://h/all' }],
          },
        },
      }),
    ).toEqual([
      { hubPattern: 'chat', categoryPattern: 'messages', eventPattern: '*', urlTemplate: 'http://h/{hub}/{event}' },
      { hubPattern: '*', categoryPattern: '*', eventPattern: '*', urlTemplate: 'http://h/all' },
    ]);
    expect(parseSignalRConfig({ hubs: {} })).toEqual([]);
  });

  it('reads managed-identity auth (the resource of the token the service sends) and None', () => {
    expect(
      parseSignalRConfig({
        signalr: {
          upstream: {
            templates: [
              { urlTemplate: 'http://h/mi', auth: { type: 'ManagedIdentity', managedIdentity: { resource: 'api://app' } } },
              { urlTemplate: 'http://h/none', auth: { type: 'None' } },
            ],
          },
        },
      }),
    ).toEqual([
      { hubPattern: '*', categoryPattern: '*', eventPattern: '*', urlTemplate: 'http://h/mi', managedIdentityResource: 'api://app' },
      { hubPattern: '*', categoryPattern: '*', eventPattern: '*', urlTemplate: 'http://h/none' },
    ]);
  });

  it('names every problem with where it is', () => {
    const parse = () =>
      parseSignalRConfig(
        {
          signalr: {
            upstream: {
              templates: [
                { urlTemplate: 'ftp://x' },
                { hubPattern: 'a,,b', urlTemplate: 'http://x' },
                { urlTemplate: 'http://x', auth: { type: 'ManagedIdentity' } },
                3,
                { urlTemplate: 'http://x', auth: { type: 'Basic' } },
              ],
            },
          },
        },
        'hubs.json',
      );
    expect(parse).toThrow(ConfigError);
    try {
      parse();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        expect.stringMatching(/^hubs\.json: signalr\.upstream\.templates\[0\]\.urlTemplate: .*must start with http/),
        'hubs.json: signalr.upstream.templates[1].hubPattern: expected "*", a name, or names joined by commas',
        "hubs.json: signalr.upstream.templates[2].auth.managedIdentity.resource: expected the resource (app id or URI) the service's token is for",
        'hubs.json: signalr.upstream.templates[3]: expected an object',
        'hubs.json: signalr.upstream.templates[4].auth.type: expected "None" or "ManagedIdentity"',
      ]);
    }
    expect(() => parseSignalRConfig({ signalr: { upstream: [] } })).toThrow(/expected \{ "upstream": \{ "templates"/);
  });
});
