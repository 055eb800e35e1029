import { app, type HttpHandler } from '@azure/functions';
import { negotiate as negotiateToken } from '../shared/api/negotiate';
import type { Runtime } from '../shared/config/app-runtime';
import { json } from './http';
import { negotiateEndpoint, NEGOTIATE_METHODS } from './negotiate-endpoint';
import { routes } from './routes';
import { withRuntime } from './misconfigured';

/** GET|POST /api/negotiate → `{ url, baseUrl, token, expiresOn }`; OPTIONS answers CORS preflights. */
export function createNegotiateHandler(rt: Runtime): HttpHandler {
  return negotiateEndpoint(rt.config.corsAllowedOrigins, async (request) =>
    json(200, await negotiateToken(request, { config: rt.config, authenticate: rt.authenticateCaller, issueToken: rt.issueClientToken })),
  );
}

export const negotiateHandler: HttpHandler = withRuntime('json', createNegotiateHandler);

app.http('negotiate', { route: routes.negotiate, methods: [...NEGOTIATE_METHODS], authLevel: 'anonymous', handler: negotiateHandler });
