import { randomBytes } from 'node:crypto';
import { CONNECTION_IDS_PER_REFILL, ConnectionIdPool } from '../../../../emulator/registry/connection-ids';

describe('ConnectionIdPool', () => {
  it('gives 22-character base64url ids, all different', () => {
    const pool = new ConnectionIdPool();
    const ids = Array.from({ length: 3 * CONNECTION_IDS_PER_REFILL + 7 }, () => pool.next());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws random bytes once per 256 ids and uses each byte once', () => {
    const draws: Buffer[] = [];
    const pool = new ConnectionIdPool((size) => {
      const b = randomBytes(size);
      draws.push(b);
      return b;
    });
    const first = Array.from({ length: CONNECTION_IDS_PER_REFILL }, () => pool.next());
    expect(draws).toHaveLength(1);
    expect(Buffer.concat(first.map((id) => Buffer.from(id, 'base64url')))).toEqual(draws[0]);
    pool.next();
    expect(draws).toHaveLength(2);
  });
});
