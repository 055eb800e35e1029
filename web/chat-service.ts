/**
 * Which service the page connects through, learned from the app: `GET /api/chat-config` answers
 * `{ service: 'webpubsub' | 'signalr' }` (setting ChatService). An app without that route (older
 * deployments) or an unreadable answer means Web PubSub, the page as it always was. Pure.
 */
export type PageService = 'webpubsub' | 'signalr';

export const chatConfigPath = '/api/chat-config';

export function chatServiceFromConfig(status: number, body: unknown): PageService {
  if (status !== 200 || typeof body !== 'object' || body === null) return 'webpubsub';
  return (body as { service?: unknown }).service === 'signalr' ? 'signalr' : 'webpubsub';
}

/** Shown in the page's header. */
export const serviceLabels: Readonly<Record<PageService, string>> = {
  webpubsub: 'over Azure Web PubSub',
  signalr: 'over Azure SignalR Service',
};
