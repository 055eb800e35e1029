import { app, type HttpHandler } from '@azure/functions';
import type { Runtime } from '../shared/config/app-runtime';
import { BadRequestError } from '../shared/http/errors';
import { MAX_SIGNALR_PUBLISH_BYTES, parseSignalRPublish, publishSignalR } from '../shared/signalr/publish-request';
import { findSignalRHub } from '../shared/signalr/signalr-settings';
import type { SignalRRuntime } from '../shared/signalr/signalr-runtime';
import { readBody } from './body';
import { json, respond } from './http';
import { withRuntime } from './misconfigured';
import { routes } from './routes';
import { signalrOf } from './signalr-context';

/** POST /api/signalr/publish (function key) → 202 through the SignalR REST data plane. */
export function createSignalRPublishHandler(rt: Runtime, signalr: () => SignalRRuntime = () => signalrOf(rt)): HttpHandler {
  return (request, context) =>
    respond(context, 'json', async () => {
      const s = signalr();
      const message = parseSignalRPublish(await readBody(request, MAX_SIGNALR_PUBLISH_BYTES));
      const hub = findSignalRHub(s.settings, message.hub);
      if (hub === undefined)
        throw new BadRequestError(`hub "${(message.hub ?? '').slice(0, 128)}" is not configured (${s.settings.hubs.join(', ')})`, 'UnknownHub');
      await publishSignalR(message, s.serviceFor(hub));
      return json(202, { accepted: true });
    });
}

export const signalrPublishHandler: HttpHandler = withRuntime('json', (rt) => createSignalRPublishHandler(rt));

app.http('signalr-publish', { route: routes.signalrPublish, methods: ['POST'], authLevel: 'function', handler: signalrPublishHandler });
