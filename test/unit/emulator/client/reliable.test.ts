import { ReliableBuffer } from '../../../../emulator/client/reliable';

describe('ReliableBuffer', () => {
  it('numbers from 1, releases cumulatively and keeps the rest in order', () => {
    const b = new ReliableBuffer();
    expect(b.nextSequenceId).toBe(1);
    for (const f of ['a', 'b', 'c', 'd']) expect(b.push(f)).toBe(true);
    expect(b.nextSequenceId).toBe(5);
    b.ack(2);
    expect(b.unacked()).toEqual(['c', 'd']);
    expect(b.unackedBytes).toBe(2);
    b.ack(1); // an old ack changes nothing
    expect(b.unackedCount).toBe(2);
    b.ack(100);
    expect(b.unacked()).toEqual([]);
    expect(b.unackedBytes).toBe(0);
  });

  it.each([
    [{ maxMessages: 2, maxBytes: 100 }, ['a', 'b', 'c'], 2],
    [{ maxMessages: 100, maxBytes: 5 }, ['aa', 'bb', 'cc'], 2],
  ])('refuses a frame beyond the cap %j', (limits, frames, accepted) => {
    const b = new ReliableBuffer(limits);
    expect(frames.map((f) => b.push(f)).filter(Boolean)).toHaveLength(accepted);
  });

  it('stays correct across compaction', () => {
    const b = new ReliableBuffer();
    for (let i = 0; i < 300; i++) b.push(String(i));
    b.ack(200);
    expect(b.unacked()[0]).toBe('200');
    b.push('x');
    expect(b.unackedCount).toBe(101);
    expect(b.unacked().at(-1)).toBe('x');
  });
});
