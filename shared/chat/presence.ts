import type { GroupMember } from '../hub/hub-service';

/**
 * Presence messages of the chat hub. Cost is proportional to the change: a connect or disconnect is
 * one small delta frame per member (`joined` / `left`), and only the newcomer gets the full list, once,
 * as a snapshot read page by page from the presence group (no cap on its size).
 */

export interface PresenceDelta {
  readonly system: 'joined' | 'left';
  readonly userId: string;
}

/**
 * One frame of a snapshot. The first frame replaces what the page knew; frames marked `continued`
 * add to it, so a large roster never needs one huge message (the service's limit is 1 MB).
 */
export interface RosterFrame {
  readonly system: 'roster';
  readonly users: readonly string[];
  readonly continued?: true;
}

/** Users per snapshot frame: at most 128 KB with 128-character ids. */
export const ROSTER_FRAME_USERS = 1000;

/** The snapshot frames for the members of the presence group: unique user ids, sorted, chunked. */
export function rosterFrames(members: readonly GroupMember[]): RosterFrame[] {
  const users = [...new Set(members.map((m) => m.userId).filter((u): u is string => !!u))].sort();
  const frames: RosterFrame[] = [];
  for (let i = 0; i < users.length || i === 0; i += ROSTER_FRAME_USERS) {
    const chunk = users.slice(i, i + ROSTER_FRAME_USERS);
    frames.push(i === 0 ? { system: 'roster', users: chunk } : { system: 'roster', users: chunk, continued: true });
  }
  return frames;
}
