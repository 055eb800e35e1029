import { chatServiceFromConfig, serviceLabels } from '../../../web/chat-service';

describe('chatServiceFromConfig', () => {
  it('uses what the app names', () => {
    expect(chatServiceFromConfig(200, { service: 'signalr' })).toBe('signalr');
    expect(chatServiceFromConfig(200, { service: 'webpubsub' })).toBe('webpubsub');
  });

  it('falls back to Web PubSub for an app without the route, an error, or an unknown answer', () => {
    expect(chatServiceFromConfig(404, { service: 'signalr' })).toBe('webpubsub');
    expect(chatServiceFromConfig(500, undefined)).toBe('webpubsub');
    expect(chatServiceFromConfig(200, 'signalr')).toBe('webpubsub');
    expect(chatServiceFromConfig(200, { service: 'mqtt' })).toBe('webpubsub');
  });

  it('labels both services for the header', () => {
    expect(serviceLabels.signalr).toBe('over Azure SignalR Service');
  });
});
