import type { OutboundMessage } from '../core/types';
import type { DispatchResult } from './event-dispatcher';

/** What a user-event reply means for the client (docs/protocol/cloud-events.md §7.2). */
export type UserEventOutcome =
  { readonly ok: true; readonly message?: OutboundMessage; readonly state?: string } | { readonly ok: false; readonly reason: string };

/**
 * 2xx → optional reply message (text/plain → text, application/json → json, anything else or no type →
 * binary; empty body or 204 → none) and optional new state; non-2xx, timeout or no handler → failure.
 */
export function mapUserEventReply(result: DispatchResult): UserEventOutcome {
  if (result.kind === 'no-handler') return { ok: false, reason: 'no event handler is configured for this event' };
  if (result.kind === 'failed') return { ok: false, reason: `the event handler failed: ${result.reason}` };
  const { status, headers, body } = result.response;
  if (status < 200 || status > 299) return { ok: false, reason: `the event handler answered ${status}` };
  const state = typeof headers['ce-connectionstate'] === 'string' ? headers['ce-connectionstate'] : undefined;
  const withState = <T extends object>(o: T) => (state === undefined ? o : { ...o, state });
  if (status === 204 || body.length === 0) return withState({ ok: true as const });
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const dataType = type === 'text/plain' ? 'text' : type === 'application/json' ? 'json' : 'binary';
  return withState({ ok: true as const, message: { dataType, data: body } });
}
