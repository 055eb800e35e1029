import { HubRegistry } from '../../../../emulator/signalr/hub-registry';

describe('HubRegistry', () => {
  it('tracks connections, groups and user-group memberships that follow the user', () => {
    const r = new HubRegistry<{ connectionId: string; hub: string; userId?: string }>();
    const a = { connectionId: 'a', hub: 'Chat', userId: 'ann' };
    const b = { connectionId: 'b', hub: 'chat', userId: 'ben' };
    r.add(a);
    r.add(b);
    expect(r.all('CHAT')).toEqual([a, b]);
    expect(r.addToGroup('chat', 'g', 'a')).toBe(true);
    expect(r.addToGroup('chat', 'g', 'zzz')).toBe(false);
    r.addUserToGroup('chat', 'vip', 'ben');
    expect(r.ofGroup('chat', 'vip')).toEqual([b]);
    const b2 = { connectionId: 'b2', hub: 'chat', userId: 'ben' };
    r.add(b2);
    expect(r.ofGroup('chat', 'vip')).toEqual([b, b2]);
    expect(r.isUserInGroup('chat', 'g', 'ann')).toBe(true);
    r.removeUserFromAllGroups('chat', 'ann');
    expect(r.ofGroup('chat', 'g')).toEqual([]);
    r.remove(b);
    r.remove(b2);
    expect(r.ofUser('chat', 'ben')).toEqual([]);
    // The user stays in the group after disconnecting: a new connection is a member again.
    r.add(b);
    expect(r.isUserInGroup('chat', 'vip', 'ben')).toBe(true);
  });
});
