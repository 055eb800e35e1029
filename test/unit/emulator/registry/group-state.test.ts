import { GroupStates } from '../../../../emulator/registry/group-state';
import type { Connection } from '../../../../emulator/registry/connection';

function conn(connectionId: string, userId: string | null) {
  const frames: Record<string, unknown>[] = [];
  const c = { connectionId, userId, ended: false, transport: { send: (f: string) => frames.push(JSON.parse(f) as Record<string, unknown>) } };
  return { c: c as unknown as Connection, frames };
}

describe('GroupStates', () => {
  it('snapshots on subscribe, pushes updates, and removes entries on clear, leave and end', () => {
    let now = 100;
    const states = new GroupStates(() => now);
    const a = conn('a', 'alice');
    const b = conn('b', null);
    states.set(a.c, 'g', { mood: 'ok' });
    expect(JSON.parse(states.subscribe(b.c, 'g'))).toEqual({
      type: 'groupStateSnapshot',
      group: 'g',
      items: [{ connectionId: 'a', userId: 'alice', state: { mood: 'ok' }, updatedAt: 100 }],
    });
    now = 200;
    states.set(b.c, 'g', { x: '1' });
    states.set(a.c, 'g', undefined);
    expect(b.frames).toEqual([
      { type: 'groupStateUpdate', group: 'g', items: [{ connectionId: 'b', state: { x: '1' }, updatedAt: 200 }] },
      { type: 'groupStateUpdate', group: 'g', items: [{ connectionId: 'a', userId: 'alice', updatedAt: 200 }] },
    ]);
    states.left(b.c, 'g');
    expect(b.frames.at(-1)).toEqual({ type: 'groupStateUpdate', group: 'g', items: [{ connectionId: 'b', updatedAt: 200 }] });
    expect(states.entries('g')).toEqual([]);
  });

  it('clearing state that was never set changes nothing; an unsubscribed or ended connection gets no updates', () => {
    const states = new GroupStates(() => 1);
    const a = conn('a', 'alice');
    const b = conn('b', 'bob');
    states.subscribe(b.c, 'g');
    states.set(a.c, 'g', undefined);
    expect(b.frames).toEqual([]);
    states.unsubscribe(b.c, 'g');
    states.set(a.c, 'g', { k: 'v' });
    expect(b.frames).toEqual([]);
    states.subscribe(b.c, 'g');
    states.ended(b.c);
    states.set(a.c, 'g', { k: 'w' });
    expect(b.frames).toEqual([]);
  });
});
