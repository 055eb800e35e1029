import { readChatService } from '../../../../shared/chat/chat-service';

describe('readChatService', () => {
  it('defaults to webpubsub and reads either name in any case', () => {
    const problems: string[] = [];
    expect(readChatService(undefined, false, problems)).toBe('webpubsub');
    expect(readChatService('WebPubSub', false, problems)).toBe('webpubsub');
    expect(readChatService('signalr', true, problems)).toBe('signalr');
    expect(problems).toEqual([]);
  });

  it('names the setting when the value is unknown, or SignalR is not configured', () => {
    const problems: string[] = [];
    readChatService('mqtt', true, problems);
    readChatService('signalr', false, problems);
    expect(problems).toEqual([
      'ChatService: "mqtt" is not a service the chat page can use (webpubsub or signalr)',
      expect.stringMatching(/^ChatService: signalr needs Azure SignalR Service; set AzureSignalRConnectionString/),
    ]);
  });
});
