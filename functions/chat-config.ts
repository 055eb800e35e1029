import { app, type HttpHandler } from '@azure/functions';
import type { ChatPageConfig } from '../shared/chat/chat-service';
import type { Runtime } from '../shared/config/app-runtime';
import { json, respond } from './http';
import { withRuntime } from './misconfigured';
import { routes } from './routes';

/** GET /api/chat-config → `{ service }`: the service the chat page connects through (setting ChatService). */
export function createChatConfigHandler(rt: Runtime): HttpHandler {
  const body: ChatPageConfig = { service: rt.config.chatService };
  return (_request, context) => respond(context, 'json', async () => json(200, body), { 'Cache-Control': 'no-store' });
}

export const chatConfigHandler: HttpHandler = withRuntime('json', createChatConfigHandler);

app.http('chat-config', { route: routes.chatConfig, methods: ['GET'], authLevel: 'anonymous', handler: chatConfigHandler });
