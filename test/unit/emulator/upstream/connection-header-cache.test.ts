import { createHmac } from 'node:crypto';
import { ConnectionHeaderCache } from '../../../../emulator/upstream/connection-header-cache';
import { buildCloudEventHeaders, connectionHeaders, userEvent } from '../../../../emulator/upstream/cloud-event-request';

const signatureOf = (connectionId: string, keys: string[]) =>
  keys.map((k) => `sha256=${createHmac('sha256', Buffer.from(k, 'utf8')).update(connectionId).digest('hex')}`).join(',');

const connection = Object.freeze({ hub: 'chat', connectionId: 'c1', userId: 'alice', subprotocol: null, state: '' });

describe('ConnectionHeaderCache', () => {
  it('builds the per-connection headers once per connection view, ce-signature included', () => {
    const cache = new ConnectionHeaderCache();
    const keys = ['k1', 'k2'];
    const first = cache.get(connection, keys, 'localhost');
    expect(first['ce-signature']).toBe(signatureOf('c1', keys));
    expect(first).toEqual(connectionHeaders(connection, keys, 'localhost'));
    expect(cache.get(connection, keys, 'localhost')).toBe(first);
  });

  it('signs again with the new keys when the key list is replaced (keys regenerated)', () => {
    const cache = new ConnectionHeaderCache();
    const before = cache.get(connection, ['old'], 'localhost');
    const after = cache.get(connection, ['new'], 'localhost');
    expect(before['ce-signature']).toBe(signatureOf('c1', ['old']));
    expect(after['ce-signature']).toBe(signatureOf('c1', ['new']));
  });

  it('keeps a connection view apart from another one (a changed state is a new view)', () => {
    const cache = new ConnectionHeaderCache();
    const keys = ['k'];
    cache.get(connection, keys, 'localhost');
    const changed = cache.get({ ...connection, state: 's2', connectionId: 'c2' }, keys, 'localhost');
    expect(changed['ce-connectionState']).toBe('s2');
    expect(changed['ce-signature']).toBe(signatureOf('c2', keys));
  });

  it('gives buildCloudEventHeaders the same result as building everything per event', () => {
    const cache = new ConnectionHeaderCache();
    const input = {
      event: userEvent('café', 'text', Buffer.from('x')),
      connection,
      ceId: '7',
      time: new Date('2024-05-01T10:00:00.999Z'),
      keys: ['k'],
      origin: 'h',
    };
    expect(buildCloudEventHeaders({ ...input, fixed: cache.get(connection, input.keys, input.origin) })).toEqual(buildCloudEventHeaders(input));
  });
});
