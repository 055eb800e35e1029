import type { Permission } from '../core/types';

/**
 * Group permissions of one connection (docs/protocol/auth.md §6): from roles at connect, then changed at run time
 * through REST grant/revoke. A grant without a target covers every group.
 */
export interface PermissionSet {
  readonly joinLeaveGroup: PermissionScope;
  readonly sendToGroup: PermissionScope;
}

/** `groups` and `patterns` exist only once something is granted: most connections hold no group grant. */
export interface PermissionScope {
  all: boolean;
  groups?: Set<string>;
  patterns?: RegExp[];
}

const PERMISSIONS = ['joinLeaveGroup', 'sendToGroup'] as const;
/** The role spellings per permission, built once: `single`, `single.` + group, `pattern` + pattern. */
const ROLE_PREFIX: Record<Permission, { single: string; singleDot: string; pattern: string }> = {
  joinLeaveGroup: { single: 'webpubsub.joinLeaveGroup', singleDot: 'webpubsub.joinLeaveGroup.', pattern: 'webpubsub.joinLeaveGroups.' },
  sendToGroup: { single: 'webpubsub.sendToGroup', singleDot: 'webpubsub.sendToGroup.', pattern: 'webpubsub.sendToGroups.' },
};

/** Builds the permission set of `roles`. Unknown roles are ignored (the service forwards them to upstreams only). */
export function permissionsFromRoles(roles: readonly string[]): PermissionSet {
  const set: PermissionSet = { joinLeaveGroup: emptyScope(), sendToGroup: emptyScope() };
  for (const role of roles) {
    for (const permission of PERMISSIONS) {
      const { single, singleDot, pattern } = ROLE_PREFIX[permission];
      const scope = set[permission];
      if (role === single) scope.all = true;
      else if (role.startsWith(singleDot)) (scope.groups ??= new Set()).add(role.slice(singleDot.length));
      else if (role.startsWith(pattern)) {
        const re = compileGroupPattern(role.slice(pattern.length));
        if (re) (scope.patterns ??= []).push(re);
      }
    }
  }
  return set;
}

export function hasPermission(set: PermissionSet, permission: Permission, group?: string): boolean {
  const scope = set[permission];
  if (scope.all) return true;
  if (group === undefined) return false;
  return (scope.groups?.has(group) ?? false) || (scope.patterns?.some((re) => re.test(group)) ?? false);
}

export function grant(set: PermissionSet, permission: Permission, group?: string): void {
  if (group === undefined) set[permission].all = true;
  else (set[permission].groups ??= new Set()).add(group);
}

/**
 * Without a target: removes every grant of that permission (roles included). With a target: removes
 * that exact group grant; a broader grant (all groups, a pattern) still covers the group.
 */
export function revoke(set: PermissionSet, permission: Permission, group?: string): void {
  const scope = set[permission];
  if (group === undefined) {
    scope.all = false;
    scope.groups = undefined;
    scope.patterns = undefined;
  } else scope.groups?.delete(group);
}

/**
 * Wildcard group roles (docs/protocol/auth.md §6): `.` separates segments; `?` = one character except `.`;
 * `*` = any run without `.`; `**` = anything; `\` escapes `\`, `*`, `?`; at most five `*`;
 * case-sensitive. Returns undefined for an invalid pattern (the role is then ignored).
 */
export function compileGroupPattern(pattern: string): RegExp | undefined {
  if (pattern === '' || (pattern.match(/\*/g)?.length ?? 0) - (pattern.match(/\\\*/g)?.length ?? 0) > 5) return undefined;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '\\' && next !== '*' && next !== '?') return undefined;
      re += escapeRegExp(next);
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^.]*';
    } else if (c === '?') re += '[^.]';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function emptyScope(): PermissionScope {
  return { all: false };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
