import type { EventHandlerSettings } from '../config';
import type { UpstreamEvent } from './cloud-event-request';

/**
 * docs/protocol/cloud-events.md §1: the first handler of the hub whose filter matches gets the event; only one does.
 * User events match `userEventPattern` (`*`, `a,b`, `a`; case-insensitive); system events `systemEvents`.
 */
export function selectHandler(handlers: readonly EventHandlerSettings[], event: Pick<UpstreamEvent, 'kind' | 'name'>): EventHandlerSettings | undefined {
  // Presence events also depend on the group: group-presence.ts selects their handler.
  if (event.kind === 'presence') return undefined;
  return handlers.find((h) =>
    event.kind === 'system' ? h.systemEvents.includes(event.name as never) : matchesUserEventPattern(h.userEventPattern, event.name),
  );
}

export function matchesUserEventPattern(pattern: string, eventName: string): boolean {
  const name = eventName.toLowerCase();
  return pattern
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .some((p) => p === '*' || (p !== '' && p === name));
}

/** Fills `{hub}` and `{event}` with URL-escaped values (docs/protocol/cloud-events.md §1 [emulator]); `validate` for abuse protection. */
export function resolveUrlTemplate(template: string, hub: string, eventName: string): string {
  // Most handler URLs have no placeholder: no regex run per event for them.
  if (!template.includes('{')) return template;
  return template.replace(/\{(hub|event)\}/gi, (_, p: string) => encodeURIComponent(p.toLowerCase() === 'hub' ? hub : eventName));
}

/** A URL for logs: no query string (it may hold a `code=` key). */
export function urlForLog(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}
