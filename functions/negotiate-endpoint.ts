import type { HttpHandler, HttpRequest } from '@azure/functions';
import { corsHeaders, preflightHeaders } from '../shared/api/negotiate-cors';
import type { HttpReply } from '../shared/upstream/event-types';
import { respond } from './http';

/** What a negotiate endpoint answers: the client SDKs GET or POST it, and browsers preflight it from other origins. */
export const NEGOTIATE_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/**
 * The edge shared by /api/negotiate and /api/signalr/negotiate: it answers CORS preflights itself, puts
 * the CORS headers of `CorsAllowedOrigins` on every reply, errors included (so a page on another origin
 * can read why negotiate failed), and marks every reply `no-store`, since it carries a client token.
 */
export function negotiateEndpoint(allowedOrigins: readonly string[], work: (request: HttpRequest) => Promise<HttpReply>): HttpHandler {
  return (request, context) => {
    const origin = request.headers.get('origin');
    if (request.method === 'OPTIONS') return { status: 204, headers: preflightHeaders(origin, allowedOrigins, NEGOTIATE_METHODS) };
    return respond(context, 'json', () => work(request), { ...corsHeaders(origin, allowedOrigins), 'Cache-Control': 'no-store' });
  };
}
