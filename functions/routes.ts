/**
 * Routes of the functions, relative to host.json `extensions.http.routePrefix` (`api`).
 * One table, read by the registrations, the local host's tests and the infra tests
 * (the hub's event-handler urlTemplate must point at `eventHandler`).
 */
export const routes = {
  negotiate: 'negotiate',
  eventHandler: 'eventhandler',
  publish: 'publish',
  /** Azure SignalR Service (Serverless mode): the client's hub URL is `/api/signalr`. */
  signalrNegotiate: 'signalr/negotiate',
  signalrEvents: 'signalr/events',
  signalrPublish: 'signalr/publish',
  /** Which service the chat page uses (`{ service: 'webpubsub' | 'signalr' }`). */
  chatConfig: 'chat-config',
  /** The chat page and its bundle: `/api/chat/` in Azure; the local host also serves it at `/`. */
  chatPage: 'chat/{*path}',
} as const;
