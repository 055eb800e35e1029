/**
 * Which service the chat page uses (setting `ChatService`): `webpubsub` (the default) or `signalr`,
 * which needs Azure SignalR Service configured too. The page asks the app (`GET /api/chat-config`)
 * rather than being built for one service, so one deployment can switch with a setting.
 */

export type ChatService = 'webpubsub' | 'signalr';

/** What `GET /api/chat-config` answers. */
export interface ChatPageConfig {
  readonly service: ChatService;
}

export function readChatService(value: string | undefined, signalrConfigured: boolean, problems: string[]): ChatService {
  if (value === undefined) return 'webpubsub';
  const service = value.toLowerCase();
  if (service !== 'webpubsub' && service !== 'signalr') {
    problems.push(`ChatService: "${value}" is not a service the chat page can use (webpubsub or signalr)`);
    return 'webpubsub';
  }
  if (service === 'signalr' && !signalrConfigured)
    problems.push('ChatService: signalr needs Azure SignalR Service; set AzureSignalRConnectionString (or AzureSignalRConnectionString__serviceUri) too');
  return service;
}
