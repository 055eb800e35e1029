import { app, type HttpHandler } from '@azure/functions';
import type { Runtime } from '../shared/config/app-runtime';
import type { SignalRRuntime } from '../shared/signalr/signalr-runtime';
import { json } from './http';
import { withRuntime } from './misconfigured';
import { negotiateEndpoint, NEGOTIATE_METHODS } from './negotiate-endpoint';
import { routes } from './routes';
import { signalrOf } from './signalr-context';

/**
 * POST /api/signalr/negotiate (what @microsoft/signalr calls for the hub URL `/api/signalr`) →
 * `{ url, accessToken }`, the redirect to the service's client endpoint. Same caller auth as /api/negotiate.
 */
export function createSignalRNegotiateHandler(rt: Runtime, signalr: () => SignalRRuntime = () => signalrOf(rt)): HttpHandler {
  return negotiateEndpoint(rt.config.corsAllowedOrigins, async (request) => json(200, await signalr().negotiate(request)));
}

export const signalrNegotiateHandler: HttpHandler = withRuntime('json', (rt) => createSignalRNegotiateHandler(rt));

app.http('signalr-negotiate', { route: routes.signalrNegotiate, methods: [...NEGOTIATE_METHODS], authLevel: 'anonymous', handler: signalrNegotiateHandler });
