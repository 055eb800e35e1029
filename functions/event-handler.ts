import { app, type HttpHandler } from '@azure/functions';
import { checkWebHookOrigin } from '../shared/upstream/abuse-protection';
import { MAX_EVENT_BODY_BYTES } from '../shared/upstream/cloud-event-parser';
import { handleUpstreamEvent } from '../shared/upstream/request-pipeline';
import type { Runtime } from '../shared/config/app-runtime';
import { readBody } from './body';
import { hubLogger, respond } from './http';
import { routes } from './routes';
import { withRuntime } from './misconfigured';

/** OPTIONS (abuse protection) and POST (CloudEvents) /api/eventhandler — the hub's urlTemplate. */
export function createEventHandler(rt: Runtime): HttpHandler {
  return (request, context) => {
    if (request.method === 'OPTIONS') {
      return respond(context, 'text', async () => ({
        status: 200,
        headers: { 'WebHook-Allowed-Origin': checkWebHookOrigin(request.headers, rt.config.eventHandlerAllowedOrigins) },
      }));
    }
    const work = () => handleUpstreamEvent({ headers: request.headers, readBody: () => readBody(request, MAX_EVENT_BODY_BYTES) }, rt, hubLogger(context));
    return respond(context, 'text', work);
  };
}

export const eventHandler: HttpHandler = withRuntime('text', createEventHandler);

app.http('eventhandler', { route: routes.eventHandler, methods: ['OPTIONS', 'POST'], authLevel: 'anonymous', handler: eventHandler });
