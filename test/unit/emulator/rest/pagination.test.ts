import { pageOf } from '../../../../emulator/rest/pagination';

const members = Array.from({ length: 5 }, (_, i) => ({ connectionId: `c${i}`, userId: i % 2 === 0 ? `u${i}` : null }));

describe('pageOf (docs/protocol/rest-api.md §5)', () => {
  it('omits userId when null', () => {
    expect(pageOf(members, { offset: 0, maxPageSize: 2 }).value).toEqual([{ connectionId: 'c0', userId: 'u0' }, { connectionId: 'c1' }]);
  });
  it('points to the next offset while members remain', () => {
    expect(pageOf(members, { offset: 0, maxPageSize: 2 }).next).toEqual({ offset: 2 });
    expect(pageOf(members, { offset: 4, maxPageSize: 2 }).next).toBeUndefined();
    expect(pageOf(members, { offset: 3, maxPageSize: 2 }).next).toBeUndefined();
  });
  it('counts top down across pages and stops when it is used up', () => {
    expect(pageOf(members, { offset: 0, maxPageSize: 2, top: 3 })).toEqual({ value: members.slice(0, 2).map(strip), next: { offset: 2, top: 1 } });
    expect(pageOf(members, { offset: 2, maxPageSize: 2, top: 1 })).toEqual({ value: [strip(members[2]!)] });
  });
  it('answers an empty page past the end', () => {
    expect(pageOf(members, { offset: 10, maxPageSize: 2 })).toEqual({ value: [] });
    expect(pageOf([], { offset: 0, maxPageSize: 2 })).toEqual({ value: [] });
  });
});

function strip(m: { connectionId: string; userId: string | null }) {
  return m.userId === null ? { connectionId: m.connectionId } : m;
}
