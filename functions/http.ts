import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { isWebPubSubError, UpstreamServiceError } from '../shared/http/errors';
import type { HttpReply } from '../shared/upstream/event-types';
import type { HubLogger } from '../shared/hub/hub-definition';

/**
 * The one place that turns results and typed errors into HTTP responses. Typed errors answer with
 * their status and message (`text` for the upstream event handler, `{ code, message }` JSON for the
 * APIs); anything else is logged once with the invocation id and answers 500 with that id.
 */
export type ErrorFormat = 'text' | 'json';

export async function respond(
  context: InvocationContext,
  format: ErrorFormat,
  work: () => Promise<HttpReply>,
  headers: Record<string, string> = {},
): Promise<HttpResponseInit> {
  try {
    const reply = await work();
    return { status: reply.status, headers: { ...headers, ...reply.headers }, ...(reply.body !== undefined ? { body: reply.body } : {}) };
  } catch (e) {
    const response = toErrorResponse(e, context, format);
    return { ...response, headers: { ...headers, ...response.headers } };
  }
}

function toErrorResponse(e: unknown, context: InvocationContext, format: ErrorFormat): HttpResponseInit & { headers: Record<string, string> } {
  if (isWebPubSubError(e)) {
    (e.status >= 500 ? context.warn : context.log).call(context, `${e.status} ${e.code}: ${e.message}`);
    const headers = { ...e.headers };
    if (format === 'text') return { status: e.status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: e.message };
    const serviceStatus = e instanceof UpstreamServiceError && e.upstreamStatus !== undefined ? { serviceStatus: e.upstreamStatus } : {};
    return {
      status: e.status,
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ code: e.code, message: e.message, ...serviceStatus }),
    };
  }
  const id = context.invocationId;
  context.error(`Unhandled error (correlation id ${id}):`, e);
  const message = `Internal server error (correlation id: ${id})`;
  return format === 'text'
    ? { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message }
    : {
        status: 500,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ code: 'InternalServerError', message, correlationId: id }),
      };
}

/** A JSON 200 reply. */
export function json(status: number, value: unknown): HttpReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** Hub code logs through the invocation, so lines carry its id. */
export function hubLogger(context: InvocationContext): HubLogger {
  return { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m, e) => context.error(m, e) };
}
