import { ROSTER_FRAME_USERS, rosterFrames } from '../../../../shared/chat/presence';
import { measurePresenceConnect } from '../../../support/presence-cost';

describe('rosterFrames', () => {
  it('unique, sorted user ids; anonymous members skipped; an empty roster is one empty frame', () => {
    expect(
      rosterFrames([{ connectionId: 'a', userId: 'bob' }, { connectionId: 'b' }, { connectionId: 'c', userId: 'amy' }, { connectionId: 'd', userId: 'bob' }]),
    ).toEqual([{ system: 'roster', users: ['amy', 'bob'] }]);
    expect(rosterFrames([])).toEqual([{ system: 'roster', users: [] }]);
  });
  it('splits large rosters; later frames are marked continued', () => {
    const members = Array.from({ length: ROSTER_FRAME_USERS * 2 + 1 }, (_, i) => ({ connectionId: `c${i}`, userId: `u${String(i).padStart(5, '0')}` }));
    const frames = rosterFrames(members);
    expect(frames.map((f) => [f.users.length, f.continued])).toEqual([
      [1000, undefined],
      [1000, true],
      [1, true],
    ]);
  });
});

/**
 * Issue 11 item 8: presence cost per connect, measured at the REST edge of the emulator with the
 * official SDK. Before: 1,000 connects made 5,500 list calls (one listing of up to 1,000 members in
 * pages of 100 per connect) and the roster stopped at 1,000 users.
 */
describe('presence cost of one connect (REST calls and frames)', () => {
  const sizes = [10, 450, 2500];
  let costs: Awaited<ReturnType<typeof measurePresenceConnect>>[];
  beforeAll(async () => {
    costs = [];
    for (const n of sizes) costs.push(await measurePresenceConnect(n));
  }, 60_000);

  it('the REST calls besides the snapshot do not grow with N: one delta send, one group add', () => {
    for (const c of costs) expect(c.fixedRestCalls).toBe(2);
    for (const c of costs) expect(c.rest).toMatchObject({ 'send-all': 1, 'add-to-group': 1 });
  });

  it('each member online receives exactly one frame per connect, whatever N (a delta, not a roster)', () => {
    for (const c of costs) expect(c.framesPerMember).toEqual({ min: 1, max: 1 });
  });

  it('the snapshot costs only what it needs: ⌈(N+1)/200⌉ list pages and ⌈users/1,000⌉ frames, to the newcomer alone', () => {
    for (const c of costs) {
      expect(c.listCalls).toBe(Math.ceil((c.members + 1) / 200));
      expect(c.rest['send-connection']).toBe(Math.ceil((c.members + 1) / 1000));
      expect(c.framesToNewcomer).toBe(Math.ceil((c.members + 1) / 1000));
    }
  });

  it('the snapshot is complete past 1,000 users (the old roster stopped there)', () => {
    for (const c of costs) expect(c.rosterUsers).toBe(c.members + 1);
  });

  it('costs fewer list calls than the old full roster, which also capped at 1,000', async () => {
    const old = await measurePresenceConnect(2500, 'full-roster');
    expect(old.rosterUsers).toBe(1000);
    expect(old.listCalls).toBe(10);
    expect(costs[2]!.listCalls).toBe(13);
    const oldAt450 = await measurePresenceConnect(450, 'full-roster');
    expect(costs[1]!.listCalls).toBeLessThan(oldAt450.listCalls);
  }, 30_000);
});
