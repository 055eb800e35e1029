import { app, type HttpHandler } from '@azure/functions';
import { corsHeaders, preflightHeaders } from '../shared/api/negotiate-cors';
import type { Runtime } from '../shared/config/app-runtime';
import type { SignalRRuntime } from '../shared/signalr/signalr-runtime';
import { json, respond } from './http';
import { withRuntime } from './misconfigured';
import { routes } from './routes';
import { signalrOf } from './signalr-context';

const METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/**
 * POST /api/signalr/negotiate (what @microsoft/signalr calls for the hub URL `/api/signalr`) →
 * `{ url, accessToken }`, the redirect to the service's client endpoint. Same caller auth as /api/negotiate.
 */
export function createSignalRNegotiateHandler(rt: Runtime, signalr: () => SignalRRuntime = () => signalrOf(rt)): HttpHandler {
  const allowed = rt.config.corsAllowedOrigins;
  return (request, context) => {
    const origin = request.headers.get('origin');
    if (request.method === 'OPTIONS') return { status: 204, headers: preflightHeaders(origin, allowed, METHODS) };
    return respond(context, 'json', async () => json(200, await signalr().negotiate(request)), {
      ...corsHeaders(origin, allowed),
      'Cache-Control': 'no-store',
    });
  };
}

export const signalrNegotiateHandler: HttpHandler = withRuntime('json', (rt) => createSignalRNegotiateHandler(rt));

app.http('signalr-negotiate', { route: routes.signalrNegotiate, methods: [...METHODS], authLevel: 'anonymous', handler: signalrNegotiateHandler });
