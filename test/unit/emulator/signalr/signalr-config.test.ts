import { ConfigError } from '../../../../emulator/core/service-errors';
import { parseSignalRConfig } from '../../../../emulator/signalr/signalr-config';

const problems = (json: unknown): readonly string[] => {
  try {
    parseSignalRConfig(json);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('parseSignalRConfig', () => {
  it('reads upstream templates by hub, with managed-identity auth as ARM writes it', () => {
    const t = parseSignalRConfig({
      upstreams: [
        { hubPattern: 'Chat', urlTemplate: 'https://app/api/signalr/events', auth: { type: 'ManagedIdentity', managedIdentity: { resource: 'api://x' } } },
        { hubPattern: '*', urlTemplate: 'http://other/{hub}', auth: { type: 'None' } },
      ],
    });
    expect([...t]).toEqual([
      ['chat', { urlTemplate: 'https://app/api/signalr/events', managedIdentityResource: 'api://x' }],
      ['*', { urlTemplate: 'http://other/{hub}' }],
    ]);
    expect(parseSignalRConfig(undefined).size).toBe(0);
  });

  it('reports every problem by path', () => {
    expect(
      problems({
        upstreams: [
          { hubPattern: '1bad', urlTemplate: 'https://x' },
          { hubPattern: 'a', urlTemplate: 'ftp://x' },
          { hubPattern: 'b', urlTemplate: 'https://x', auth: { type: 'ManagedIdentity' } },
          { hubPattern: 'c', urlTemplate: 'https://x', auth: { type: 'Key' } },
          { hubPattern: 'c', urlTemplate: 'https://y' },
          { hubPattern: 'C', urlTemplate: 'https://y' },
        ],
      }),
    ).toEqual([
      'signalr.upstreams[0].hubPattern: expected a hub name or "*"',
      'signalr.upstreams[1].urlTemplate: expected an http(s) URL',
      'signalr.upstreams[2].auth.managedIdentity.resource: expected the resource (app id or URI) of the upstream',
      'signalr.upstreams[3].auth.type: expected "ManagedIdentity" or "None"',
      'signalr.upstreams[5]: hub "C" already has an upstream (one template per hub)',
    ]);
    expect(problems([])).toEqual(['signalr: expected an object with "upstreams"']);
  });
});
