import { compileGroupPattern, grant, hasPermission, permissionsFromRoles, revoke } from '../../../../emulator/auth/permissions';

describe('permissionsFromRoles', () => {
  it.each([
    [[], 'joinLeaveGroup', 'g', false],
    [['webpubsub.joinLeaveGroup'], 'joinLeaveGroup', 'anything', true],
    [['webpubsub.joinLeaveGroup'], 'sendToGroup', 'anything', false],
    [['webpubsub.sendToGroup.g1'], 'sendToGroup', 'g1', true],
    [['webpubsub.sendToGroup.g1'], 'sendToGroup', 'g2', false],
    [['webpubsub.joinLeaveGroup.a.b'], 'joinLeaveGroup', 'a.b', true],
    [['webpubsub.sendToGroups.room.*'], 'sendToGroup', 'room.1', true],
    [['webpubsub.sendToGroups.room.*'], 'sendToGroup', 'room.1.x', false],
    [['webpubsub.joinLeaveGroups.**'], 'joinLeaveGroup', 'a.b.c', true],
    [['webpubsub.joinLeaveGroups.**'], 'sendToGroup', 'a', false],
    [['unrelated.role'], 'sendToGroup', 'g', false],
  ] as const)('%j grants %s on %s: %s', (roles, permission, group, expected) => {
    expect(hasPermission(permissionsFromRoles(roles), permission, group)).toBe(expected);
  });

  it('answers a check without a group only for an all-groups permission', () => {
    expect(hasPermission(permissionsFromRoles(['webpubsub.sendToGroup']), 'sendToGroup')).toBe(true);
    expect(hasPermission(permissionsFromRoles(['webpubsub.sendToGroup.g']), 'sendToGroup')).toBe(false);
  });
});

describe('grant and revoke', () => {
  it('grants one group or all groups, and revokes them', () => {
    const set = permissionsFromRoles([]);
    grant(set, 'sendToGroup', 'g');
    expect(hasPermission(set, 'sendToGroup', 'g')).toBe(true);
    expect(hasPermission(set, 'sendToGroup', 'h')).toBe(false);
    grant(set, 'sendToGroup');
    expect(hasPermission(set, 'sendToGroup', 'h')).toBe(true);
    revoke(set, 'sendToGroup', 'g');
    expect(hasPermission(set, 'sendToGroup', 'g')).toBe(true); // still covered by the all-groups grant
    revoke(set, 'sendToGroup');
    expect(hasPermission(set, 'sendToGroup', 'g')).toBe(false);
  });

  it('grants again after everything was revoked, and revoking what was never granted is harmless', () => {
    const set = permissionsFromRoles(['webpubsub.sendToGroup.a']);
    revoke(set, 'joinLeaveGroup', 'never-granted');
    revoke(set, 'sendToGroup');
    expect(hasPermission(set, 'sendToGroup', 'a')).toBe(false);
    grant(set, 'sendToGroup', 'b');
    expect(hasPermission(set, 'sendToGroup', 'b')).toBe(true);
    expect(hasPermission(set, 'sendToGroup', 'a')).toBe(false);
    expect(hasPermission(set, 'joinLeaveGroup', 'b')).toBe(false);
  });

  it('revoking without a target also removes role-given patterns', () => {
    const set = permissionsFromRoles(['webpubsub.joinLeaveGroups.a*']);
    revoke(set, 'joinLeaveGroup');
    expect(hasPermission(set, 'joinLeaveGroup', 'ab')).toBe(false);
  });
});

describe('compileGroupPattern', () => {
  it.each([
    ['a?c', 'abc', true],
    ['a?c', 'a.c', false],
    ['a*', 'a', true],
    ['a*', 'a.b', false],
    ['a**', 'a.b.c', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['A', 'a', false],
  ])('%s matches %s: %s', (pattern, group, expected) => {
    expect(compileGroupPattern(pattern)!.test(group)).toBe(expected);
  });

  it.each([[''], ['a\\b'], ['*.*.*.*.*.*']])('refuses the invalid pattern %j', (pattern) => {
    expect(compileGroupPattern(pattern)).toBeUndefined();
  });
});
