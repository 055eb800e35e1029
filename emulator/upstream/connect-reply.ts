import type { TokenIdentity } from '../auth/client-token-verifier';
import { hasControlCharacters, isValidGroupName } from '../core/name-rules';
import type { DispatchResult } from './event-dispatcher';

/** The identity a connection gets once the connect event is answered (docs/protocol/cloud-events.md §6). */
export interface ConnectOutcome {
  readonly ok: true;
  readonly userId: string | null;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  /** The handler's `subprotocol`, when it chose one. */
  readonly subprotocol?: string;
  /** `ce-connectionState`, when the reply set one. */
  readonly state?: string;
}

export type ConnectRejection = { readonly ok: false; readonly status: number; readonly message: string };

/**
 * Applies a connect reply to the token identity (docs/protocol/cloud-events.md §6, choices as the official emulator):
 * no handler / 204 / empty 200 → the token identity; JSON 200 → `userId` replaces `sub`, `roles` replace the
 * token roles, a non-empty `groups` replaces the token groups; 4xx → the same status; anything else
 * (5xx, timeout, unreachable, an unusable body) → 500.
 */
export function applyConnectReply(result: DispatchResult, identity: TokenIdentity): ConnectOutcome | ConnectRejection {
  const base: ConnectOutcome = { ok: true, userId: identity.userId, roles: identity.roles, groups: identity.groups };
  if (result.kind === 'no-handler') return base;
  if (result.kind === 'failed') return { ok: false, status: 500, message: 'the connect event handler failed' };
  const { status, headers, body } = result.response;
  if (status >= 400 && status < 500) return { ok: false, status, message: `the connect event handler rejected the connection (${status})` };
  if (status < 200 || status > 299) return { ok: false, status: 500, message: `the connect event handler answered ${status}` };
  const state = typeof headers['ce-connectionstate'] === 'string' ? headers['ce-connectionstate'] : undefined;
  const withState = (o: ConnectOutcome): ConnectOutcome => (state === undefined ? o : { ...o, state });
  if (status === 204 || body.length === 0 || body.toString('utf8').trim() === '') return withState(base);

  let reply: unknown;
  try {
    reply = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, status: 500, message: 'the connect event handler answered a body that is not JSON' };
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply))
    return { ok: false, status: 500, message: 'the connect reply must be a JSON object' };
  const r = reply as Record<string, unknown>;
  if (r.userId !== undefined && r.userId !== null && typeof r.userId !== 'string')
    return { ok: false, status: 500, message: 'connect reply: userId must be a string' };
  // The user id is sent back in ce-userId on every later event (docs/protocol/cloud-events.md §3): no control characters.
  if (typeof r.userId === 'string' && hasControlCharacters(r.userId))
    return { ok: false, status: 500, message: 'connect reply: userId must not contain control characters' };
  if (r.roles !== undefined && r.roles !== null && !isStringArray(r.roles))
    return { ok: false, status: 500, message: 'connect reply: roles must be an array of strings' };
  if (r.groups !== undefined && r.groups !== null && !(isStringArray(r.groups) && r.groups.every(isValidGroupName))) {
    return { ok: false, status: 500, message: 'connect reply: groups must be an array of valid group names' };
  }
  if (r.subprotocol !== undefined && r.subprotocol !== null && typeof r.subprotocol !== 'string')
    return { ok: false, status: 500, message: 'connect reply: subprotocol must be a string' };
  return withState({
    ok: true,
    userId: typeof r.userId === 'string' && r.userId !== '' ? r.userId : identity.userId,
    roles: isStringArray(r.roles) ? r.roles : identity.roles,
    groups: isStringArray(r.groups) && r.groups.length > 0 ? r.groups : identity.groups,
    ...(typeof r.subprotocol === 'string' && r.subprotocol !== '' ? { subprotocol: r.subprotocol } : {}),
  });
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
