import { createHmac } from 'node:crypto';
import { ceSignature } from '../../../../emulator/upstream/ce-signature';

const hex = (key: string, id: string) => createHmac('sha256', Buffer.from(key, 'utf8')).update(id).digest('hex');

describe('ceSignature', () => {
  it('signs the connection id under every key, primary first', () => {
    expect(ceSignature('conn-a', ['k1', 'k2'])).toBe(`sha256=${hex('k1', 'conn-a')},sha256=${hex('k2', 'conn-a')}`);
  });

  it('signs a connection id once for the connect and connected events of one handshake', () => {
    // A key list that counts how often it is walked: once per signing.
    let walks = 0;
    class CountingKeys extends Array<string> {
      override [Symbol.iterator](): ArrayIterator<string> {
        walks++;
        return super[Symbol.iterator]();
      }
    }
    const keys = CountingKeys.from(['k1']);
    const first = ceSignature('conn-b', keys);
    const second = ceSignature('conn-b', keys);
    expect(second).toBe(first);
    expect(first).toBe(`sha256=${hex('k1', 'conn-b')}`);
    expect(walks).toBe(1);
  });

  it('signs again under a new key list (a regenerated key is never answered with the old signature)', () => {
    const before = ceSignature('conn-c', ['old']);
    const after = ceSignature('conn-c', ['new']);
    expect(after).toBe(`sha256=${hex('new', 'conn-c')}`);
    expect(after).not.toBe(before);
  });
});
