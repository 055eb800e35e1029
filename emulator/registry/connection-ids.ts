import { randomBytes } from 'node:crypto';

/**
 * Connection ids: 16 random bytes as base64url (22 characters). The bytes come from a pool refilled
 * 256 ids at a time: one randomBytes call per connection was a visible cost in a connect storm (the
 * same pooling Node's randomUUID uses). Every byte is still from the CSPRNG and used once.
 */
const ID_BYTES = 16;
const IDS_PER_REFILL = 256;

export class ConnectionIdPool {
  private pool: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly random: (size: number) => Buffer = randomBytes) {}

  next(): string {
    if (this.offset + ID_BYTES > this.pool.length) {
      this.pool = this.random(ID_BYTES * IDS_PER_REFILL);
      this.offset = 0;
    }
    const id = this.pool.toString('base64url', this.offset, this.offset + ID_BYTES);
    this.offset += ID_BYTES;
    return id;
  }
}

export const CONNECTION_ID_BYTES = ID_BYTES;
export const CONNECTION_IDS_PER_REFILL = IDS_PER_REFILL;
