import { app, type HttpHandler } from '@azure/functions';
import { isPublishOriginAllowed } from '../shared/api/publish-origin';
import { publish } from '../shared/api/publish';
import { MAX_PUBLISH_BODY_BYTES, parsePublishRequest } from '../shared/api/publish-request';
import type { Runtime } from '../shared/config/app-runtime';
import { ForbiddenError } from '../shared/http/errors';
import { readBody } from './body';
import { json, respond } from './http';
import { routes } from './routes';
import { withRuntime } from './misconfigured';

/**
 * POST /api/publish (function key) → 202 `{ accepted: true }`; 502 when the service refuses; 403 when a
 * browser page of another origin sends it.
 */
export function createPublishHandler(rt: Runtime): HttpHandler {
  const hubs = rt.config.hubs.map((h) => h.name);
  return (request, context) =>
    respond(context, 'json', async () => {
      if (!isPublishOriginAllowed(request.headers.get('origin'), request.url, rt.config.corsAllowedOrigins)) {
        throw new ForbiddenError(
          "publish refuses requests from other web pages (the Origin header names another site); call it from a server, or list the page's origin in CorsAllowedOrigins",
          'CrossOriginPublish',
        );
      }
      const message = parsePublishRequest(await readBody(request, MAX_PUBLISH_BODY_BYTES), hubs);
      await publish(message, rt.serviceFor(message.hub));
      return json(202, { accepted: true });
    });
}

export const publishHandler: HttpHandler = withRuntime('json', createPublishHandler);

app.http('publish', { route: routes.publish, methods: ['POST'], authLevel: 'function', handler: publishHandler });
