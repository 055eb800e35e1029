import { app, type HttpHandler } from '@azure/functions';
import { corsHeaders, preflightHeaders } from '../shared/api/negotiate-cors';
import { negotiate as negotiateToken } from '../shared/api/negotiate';
import type { Runtime } from '../shared/config/app-runtime';
import { json, respond } from './http';
import { routes } from './routes';
import { withRuntime } from './misconfigured';

const METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/** GET|POST /api/negotiate → `{ url, baseUrl, token, expiresOn }`; OPTIONS answers CORS preflights. */
export function createNegotiateHandler(rt: Runtime): HttpHandler {
  const allowed = rt.config.corsAllowedOrigins;
  return (request, context) => {
    const origin = request.headers.get('origin');
    if (request.method === 'OPTIONS') return { status: 204, headers: preflightHeaders(origin, allowed, METHODS) };
    const work = async () =>
      json(200, await negotiateToken(request, { config: rt.config, authenticate: rt.authenticateCaller, issueToken: rt.issueClientToken }));
    return respond(context, 'json', work, { ...corsHeaders(origin, allowed), 'Cache-Control': 'no-store' });
  };
}

export const negotiateHandler: HttpHandler = withRuntime('json', createNegotiateHandler);

app.http('negotiate', { route: routes.negotiate, methods: [...METHODS], authLevel: 'anonymous', handler: negotiateHandler });
