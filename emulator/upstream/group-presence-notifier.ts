import type { ServiceHubSettings } from '../config';
import type { MembershipListener } from '../registry/hub-state';
import type { EventDispatcher } from './event-dispatcher';
import { groupPresenceEvent, selectPresenceHandler, wantsGroupPresence } from './group-presence';

/**
 * Turns every join and leave into a group presence event for the hub's handler, when one asks for it
 * (docs/protocol/client-sdk-features.md §5). Like `connected`, the event does not block anything: the
 * membership change has happened; the reply is ignored and a failure is only logged.
 */
export function groupPresenceNotifier(deps: {
  readonly dispatcher: EventDispatcher;
  readonly hubSettings: (hub: string) => ServiceHubSettings;
  /** True while the emulator shuts down: the connections it closes then report nothing upstream. */
  readonly stopping: () => boolean;
  readonly onFailure: (e: unknown) => void;
}): MembershipListener {
  return (conn, group, change) => {
    if (deps.stopping()) return;
    const hub = deps.hubSettings(conn.hub);
    if (!wantsGroupPresence(hub) || !selectPresenceHandler(hub.eventHandlers, change, group)) return;
    deps.dispatcher.dispatch(hub, conn.eventConnection(), groupPresenceEvent(change, group), conn.takeCeId()).catch(deps.onFailure);
  };
}
