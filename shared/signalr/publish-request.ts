import { BadRequestError } from '../http/errors';
import { isValidGroupName, isValidUserId } from '../validation/names';

/**
 * `POST /api/signalr/publish`: `{ hub?, group? | user? | connectionId?, target, arguments?, excluded? }`.
 * At most one of group, user and connectionId; none means everyone in the hub.
 */

export type SignalRPublish = {
  readonly hub?: string;
  readonly target: string;
  readonly arguments: readonly unknown[];
  readonly excluded: readonly string[];
} & (
  | { readonly to: 'all' }
  | { readonly to: 'group'; readonly group: string }
  | { readonly to: 'user'; readonly user: string }
  | { readonly to: 'connection'; readonly connectionId: string }
);

export const MAX_SIGNALR_PUBLISH_BYTES = 1024 * 1024;

export function parseSignalRPublish(body: Uint8Array): SignalRPublish {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new BadRequestError(
      'the body must be JSON: { "target": "...", "arguments": [...], "group"?: "...", "user"?: "...", "connectionId"?: "..." }',
      'InvalidJson',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('the body must be a JSON object', 'InvalidBody');
  const o = value as Record<string, unknown>;
  const known = new Set(['hub', 'group', 'user', 'connectionId', 'target', 'arguments', 'excluded']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new BadRequestError(
      `unknown field(s): ${unknown
        .slice(0, 5)
        .map((k) => k.slice(0, 32))
        .join(', ')}`,
      'InvalidBody',
    );
  if (typeof o['target'] !== 'string' || o['target'] === '' || o['target'].length > 256)
    throw new BadRequestError('"target" must be a non-empty string (at most 256 characters)', 'InvalidBody');
  const args = o['arguments'] ?? [];
  if (!Array.isArray(args)) throw new BadRequestError('"arguments" must be an array', 'InvalidBody');
  const excluded = o['excluded'] ?? [];
  if (!Array.isArray(excluded) || excluded.some((e) => typeof e !== 'string' || e === ''))
    throw new BadRequestError('"excluded" must be an array of connection ids', 'InvalidBody');
  if (o['hub'] !== undefined && typeof o['hub'] !== 'string') throw new BadRequestError('"hub" must be a string', 'InvalidBody');
  const targets = (['group', 'user', 'connectionId'] as const).filter((k) => o[k] !== undefined);
  if (targets.length > 1) throw new BadRequestError('set at most one of "group", "user" and "connectionId"', 'InvalidBody');
  const base = { ...(o['hub'] !== undefined ? { hub: o['hub'] as string } : {}), target: o['target'], arguments: args, excluded: excluded as string[] };
  if (o['group'] !== undefined) {
    if (!isValidGroupName(o['group'])) throw new BadRequestError('"group" must be a group name (1..1024 characters)', 'InvalidBody');
    return { ...base, to: 'group', group: o['group'] as string };
  }
  if (o['user'] !== undefined) {
    if (typeof o['user'] !== 'string' || !isValidUserId(o['user']))
      throw new BadRequestError('"user" must be a user id (1..128 printable characters)', 'InvalidBody');
    if (excluded.length > 0) throw new BadRequestError('"excluded" applies to everyone or a group, not to a user', 'InvalidBody');
    return { ...base, to: 'user', user: o['user'] };
  }
  if (o['connectionId'] !== undefined) {
    if (typeof o['connectionId'] !== 'string' || o['connectionId'] === '' || o['connectionId'].length > 256)
      throw new BadRequestError('"connectionId" must be a non-empty string', 'InvalidBody');
    if (excluded.length > 0) throw new BadRequestError('"excluded" applies to everyone or a group, not to one connection', 'InvalidBody');
    return { ...base, to: 'connection', connectionId: o['connectionId'] };
  }
  return { ...base, to: 'all' };
}

export async function publishSignalR(p: SignalRPublish, service: import('./rest-client').SignalRService): Promise<void> {
  switch (p.to) {
    case 'all':
      return service.sendToAll(p.target, p.arguments, p.excluded);
    case 'group':
      return service.sendToGroup(p.group, p.target, p.arguments, p.excluded);
    case 'user':
      return service.sendToUser(p.user, p.target, p.arguments);
    case 'connection':
      return service.sendToConnection(p.connectionId, p.target, p.arguments);
  }
}
