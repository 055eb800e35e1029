import { toChatEntry, type ChatEntry } from './chat-entries';
import { isRecord } from './is-record';

/**
 * What the page shows for the SignalR chat hub's invocations (docs/signalr.md): `message` carries
 * `{ from, text, group?, at }`; `system` carries `{ system: 'joined' | 'left', userId, group? }` — without
 * `group` it is the chat's presence, with `group` someone entering or leaving a room. Only the hub
 * (through the service's REST API) invokes these targets, so no client can forge them. Pure.
 */
export function signalrChatEntry(target: string, arg: unknown): ChatEntry {
  if (target === 'system' && isRecord(arg) && typeof arg.group === 'string' && typeof arg.userId === 'string') {
    return { kind: 'notice', text: `${arg.userId} ${arg.system === 'left' ? 'left' : 'joined'} #${arg.group}` };
  }
  return toChatEntry(arg);
}
