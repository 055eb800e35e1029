import { hasControlCharacters } from '../validation/names';

/**
 * Client roles (docs/protocol/auth.md §6): `webpubsub.joinLeaveGroup` / `webpubsub.sendToGroup` for any group,
 * `….<group>` for one group, and `webpubsub.joinLeaveGroups.<pattern>` / `webpubsub.sendToGroups.<pattern>`.
 */
const ROLE_PATTERN = /^webpubsub\.(?:(?:joinLeaveGroup|sendToGroup)(?:\..+)?|(?:joinLeaveGroups|sendToGroups)\..+)$/;

export function isValidRole(role: string): boolean {
  return ROLE_PATTERN.test(role) && !hasControlCharacters(role);
}

/**
 * True when `role` may be granted under a hub's `allowedRoles`: listed exactly, or covered by a
 * broader listed role (`webpubsub.sendToGroup` covers `webpubsub.sendToGroup.<g>` and
 * `webpubsub.sendToGroups.<pattern>`, since it already grants every group).
 */
export function isRoleAllowed(role: string, allowedRoles: readonly string[]): boolean {
  for (const allowed of allowedRoles) {
    if (role === allowed) return true;
    if (allowed === 'webpubsub.joinLeaveGroup' || allowed === 'webpubsub.sendToGroup') {
      if (role.startsWith(`${allowed}.`) || role.startsWith(`${allowed}s.`)) return true;
    }
  }
  return false;
}
