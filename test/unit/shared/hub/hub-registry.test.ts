import { loadConfig } from '../../../../shared/config/app-config';
import { ConfigError } from '../../../../shared/http/errors';
import { defineHub } from '../../../../shared/hub/hub-definition';
import { createHubRegistry } from '../../../../shared/hub/hub-registry';

const CS = 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;';

describe('createHubRegistry', () => {
  const custom = defineHub({ name: 'Lobby', onConnect: () => undefined });
  const registry = createHubRegistry(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubHub: 'lobby,plain' }), [
    custom,
    defineHub({ name: 'unused' }),
  ]);
  it('finds definitions case-insensitively', () => {
    expect(registry.find('LOBBY')).toBe(custom);
  });
  it('gives a configured hub without a definition the default hub (no handlers)', () => {
    expect(registry.find('plain')).toEqual({ name: 'plain' });
  });
  it('does not know hubs that are not configured, even with a definition', () => {
    expect(registry.find('unused')).toBeUndefined();
  });
  it("refuses at start-up negotiate roles outside a hub's allowedRoles", () => {
    const strict = defineHub({ name: 'chat', allowedRoles: ['webpubsub.joinLeaveGroup'] });
    const broad = { NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubRoles: 'webpubsub.joinLeaveGroup,webpubsub.sendToGroup' };
    expect(() => createHubRegistry(loadConfig(broad), [strict])).toThrow(ConfigError);
    expect(() => createHubRegistry(loadConfig(broad), [strict])).toThrow(/WebPubSubRoles__chat: hub "chat" does not allow webpubsub.sendToGroup/);
    expect(() =>
      createHubRegistry(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: CS, WebPubSubRoles: 'webpubsub.joinLeaveGroup.room' }), [strict]),
    ).not.toThrow();
  });
});
