import { app, type HttpHandler } from '@azure/functions';
import type { Runtime } from '../shared/config/app-runtime';
import { NotFoundError } from '../shared/http/errors';
import { dispatchSignalREvent } from '../shared/signalr/event-dispatch';
import type { SignalRRuntime } from '../shared/signalr/signalr-runtime';
import { parseSignalRUpstream } from '../shared/signalr/upstream-request';
import { readBody } from './body';
import { respond } from './http';
import { withRuntime } from './misconfigured';
import { routes } from './routes';
import { signalrOf } from './signalr-context';

const MAX_UPSTREAM_BODY_BYTES = 1024 * 1024;

/**
 * POST /api/signalr/events: the SignalR Service upstream (connections and messages). Authenticated before
 * anything else is read (signature, or managed-identity token when keyless): an unsigned request learns nothing.
 */
export function createSignalREventsHandler(rt: Runtime, signalr: () => SignalRRuntime = () => signalrOf(rt)): HttpHandler {
  return (request, context) =>
    respond(context, 'text', async () => {
      const s = signalr();
      await s.authenticateUpstream(request.headers, request.headers.get('x-asrs-connection-id') ?? '');
      const event = parseSignalRUpstream(request.headers, await readBody(request, MAX_UPSTREAM_BODY_BYTES));
      const hub = s.hubFor(event.connection.hub);
      if (!hub) throw new NotFoundError(`hub "${event.connection.hub.slice(0, 128)}" is not configured in SignalRHub`, 'UnknownHub');
      return dispatchSignalREvent(event, hub, s.serviceFor(hub.name));
    });
}

export const signalrEventsHandler: HttpHandler = withRuntime('text', (rt) => createSignalREventsHandler(rt));

app.http('signalr-events', { route: routes.signalrEvents, methods: ['POST'], authLevel: 'anonymous', handler: signalrEventsHandler });
