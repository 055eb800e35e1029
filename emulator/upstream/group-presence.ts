import type { EventHandlerSettings, GroupPresenceEventName, ServiceHubSettings } from '../config';
import type { UpstreamEvent } from './cloud-event-request';

/**
 * Group presence events (docs/protocol/client-sdk-features.md §5): `azure.webpubsub.gp.joined` and
 * `azure.webpubsub.gp.left`, with body `{"group":"<name>"}`, to the handler whose `groupPresenceEvents`
 * asks for that event and group. Pure.
 *
 * Sources: `@azure/web-pubsub-express` 1.1.0 dist/esm/cloudEventsDispatcher.js (the two ce-types; the body
 * is read as JSON and its `group` handed to onGroupJoined / onGroupLeft; both are answered at once, like
 * `connected`); the ARM hub schema (`eventHandlers[].groupPresenceEvents.eventNames`/`groupFilters`:
 * "If null or empty, events from all groups will be sent"; each filter "is a pattern that may match
 * multiple groups").
 */

/**
 * The handler that takes a presence event: the first whose `eventNames` lists it and whose `groupFilters`
 * (if any) match the group — the same first-match rule as every other event (docs/protocol/cloud-events.md §1).
 */
export function selectPresenceHandler(
  handlers: readonly EventHandlerSettings[],
  name: GroupPresenceEventName,
  group: string,
): EventHandlerSettings | undefined {
  return handlers.find((h) => {
    const p = h.groupPresenceEvents;
    if (!p || !p.eventNames.includes(name)) return false;
    return !p.groupFilters || p.groupFilters.length === 0 || p.groupFilters.some((f) => matchesGroupFilter(f, group));
  });
}

/** True when some handler of the hub wants any presence event: the fast path skips everything else. */
export function wantsGroupPresence(hub: ServiceHubSettings): boolean {
  return hub.eventHandlers.some((h) => (h.groupPresenceEvents?.eventNames.length ?? 0) > 0);
}

/**
 * A group filter pattern. The service does not document its syntax beyond "a pattern that may match
 * multiple groups"; the emulator takes `*` as any run of characters and matches everything else exactly
 * (group names are case-sensitive).
 */
export function matchesGroupFilter(pattern: string, group: string): boolean {
  if (!pattern.includes('*')) return pattern === group;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!group.startsWith(first) || group.length < first.length + last.length || !group.endsWith(last)) return false;
  let at = first.length;
  const end = group.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = group.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** The event to post; its ce-type is `azure.webpubsub.gp.<name>` and its content type JSON (cloud-event-request.ts). */
export function groupPresenceEvent(name: GroupPresenceEventName, group: string): UpstreamEvent {
  return { kind: 'presence', name, group, body: Buffer.from(JSON.stringify({ group }), 'utf8') };
}
