import { findName, isGuid, isValidGroupName, isValidHubName, isValidUserId } from '../../../../shared/validation/names';
import { isRoleAllowed, isValidRole } from '../../../../shared/auth/roles';

describe('names (docs/protocol/auth.md §6)', () => {
  it.each(['chat', 'Hub1', 'a_b.c`d,e[f]', `a${'b'.repeat(127)}`])('valid hub %p', (n) => expect(isValidHubName(n)).toBe(true));
  it.each(['', '1hub', '_x', 'a-b', 'a b', `a${'b'.repeat(128)}`])('invalid hub %p', (n) => expect(isValidHubName(n)).toBe(false));
  it('groups: 1..1024, not whitespace only', () => {
    expect(isValidGroupName('g 1')).toBe(true);
    expect(isValidGroupName('x'.repeat(1024))).toBe(true);
    expect(isValidGroupName('x'.repeat(1025))).toBe(false);
    expect(isValidGroupName('  ')).toBe(false);
    expect(isValidGroupName('')).toBe(false);
    expect(isValidGroupName(3)).toBe(false);
  });
  it('user ids: printable, 1..128', () => {
    expect(isValidUserId('alice@example.com')).toBe(true);
    expect(isValidUserId('a\u0007')).toBe(false);
    expect(isValidUserId(' a')).toBe(false);
  });
  it('findName is case-insensitive and returns the configured spelling', () => {
    expect(findName(['Chat', 'x'], 'CHAT')).toBe('Chat');
    expect(findName(['Chat'], 'chat2')).toBeUndefined();
  });
});

describe('roles (docs/protocol/auth.md §6)', () => {
  it.each(['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup', 'webpubsub.sendToGroup.room 1', 'webpubsub.joinLeaveGroups.rooms.*'])('valid %p', (r) =>
    expect(isValidRole(r)).toBe(true),
  );
  it.each(['admin', 'webpubsub.sendToGroups', 'webpubsub.joinLeaveGroup.', 'webpubsub.x'])('invalid %p', (r) => expect(isValidRole(r)).toBe(false));
  it('a broad allowed role covers its group-specific and pattern forms, nothing else', () => {
    expect(isRoleAllowed('webpubsub.sendToGroup.g', ['webpubsub.sendToGroup'])).toBe(true);
    expect(isRoleAllowed('webpubsub.sendToGroups.g.*', ['webpubsub.sendToGroup'])).toBe(true);
    expect(isRoleAllowed('webpubsub.joinLeaveGroup', ['webpubsub.sendToGroup'])).toBe(false);
    expect(isRoleAllowed('webpubsub.sendToGroup', ['webpubsub.sendToGroup.g'])).toBe(false);
    expect(isRoleAllowed('webpubsub.sendToGroup.g', [])).toBe(false);
  });
});

describe('user ids: invisible and look-alike spellings are refused (the app is stricter than the service)', () => {
  it.each([
    ['zero width space', '\u200b'],
    ['word joiner', '\u2060'],
    ['BOM', '\ufeff'],
    ['soft hyphen', '\u00ad'],
    ['ZWNJ + ZWJ only', '\u200c\u200d'],
    ['Hangul filler', '\u3164'],
    ['braille blank', '\u2800'],
    ['a tag character', '\udb40\udc20'],
    ['only whitespace', '   '],
    ['no-break spaces', '\u00a0\u00a0'],
    ['a zero width space inside a name', 'ali\u200bce'],
    ['a right-to-left override', '\u202eecila'],
    ['a left-to-right mark', 'alice\u200e'],
    ['an Arabic letter mark', 'a\u061cb'],
    ['a percent sign (ce-userId is percent-decoded)', '%61lice'],
  ])('%s', (_name, id) => expect(isValidUserId(id)).toBe(false));

  it.each([
    ['Cyrillic', 'Дмитрий'],
    ['Persian with a ZWNJ between letters', 'من\u200cو'],
    ['an emoji ZWJ sequence', '👨\u200d👩\u200d👧'],
    ['a space inside', 'Ada Lovelace'],
  ])('%s stays valid', (_name, id) => expect(isValidUserId(id)).toBe(true));
});

describe('isGuid', () => {
  it('accepts the 8-4-4-4-12 hex form in either case and nothing else', () => {
    expect(isGuid('7e4f1700-ea5a-4f59-8f37-079cfe29dce3')).toBe(true);
    expect(isGuid('7E4F1700-EA5A-4F59-8F37-079CFE29DCE3')).toBe(true);
    for (const bad of [
      '',
      '7e4f1700ea5a4f598f37079cfe29dce3',
      '{7e4f1700-ea5a-4f59-8f37-079cfe29dce3}',
      '7e4f1700-ea5a-4f59-8f37-079cfe29dce',
      'g e4f1700-ea5a-4f59-8f37-079cfe29dce3',
    ])
      expect(isGuid(bad)).toBe(false);
  });
});
