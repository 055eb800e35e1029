import { parseSignalRPublish, publishSignalR } from '../../../../shared/signalr/publish-request';
import type { SignalRService } from '../../../../shared/signalr/rest-client';

const parse = (v: unknown) => parseSignalRPublish(new TextEncoder().encode(JSON.stringify(v)));

describe('parseSignalRPublish', () => {
  it('reads each destination', () => {
    expect(parse({ target: 't', arguments: [1] })).toEqual({ to: 'all', target: 't', arguments: [1], excluded: [] });
    expect(parse({ hub: 'chat', group: 'g', target: 't', excluded: ['c'] })).toEqual({
      to: 'group',
      hub: 'chat',
      group: 'g',
      target: 't',
      arguments: [],
      excluded: ['c'],
    });
    expect(parse({ user: 'u', target: 't' })).toMatchObject({ to: 'user', user: 'u' });
    expect(parse({ connectionId: 'c', target: 't' })).toMatchObject({ to: 'connection', connectionId: 'c' });
  });

  it.each([
    ['not JSON', null],
    ['no target', { arguments: [] }],
    ['two destinations', { target: 't', user: 'u', group: 'g' }],
    ['arguments not an array', { target: 't', arguments: 'x' }],
    ['excluded with a user', { target: 't', user: 'u', excluded: ['c'] }],
    ['an unknown field', { target: 't', data: 1 }],
    ['an empty group', { target: 't', group: '' }],
  ])('refuses %s with 400', (_n, v) => {
    const bytes = v === null ? new TextEncoder().encode('{') : new TextEncoder().encode(JSON.stringify(v));
    expect(() => parseSignalRPublish(bytes)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('publishSignalR', () => {
  it('calls the matching data-plane operation', async () => {
    const calls: string[] = [];
    const rec =
      (name: string) =>
      async (...a: unknown[]) =>
        void calls.push(`${name}:${JSON.stringify(a)}`);
    const service = { sendToAll: rec('all'), sendToGroup: rec('group'), sendToUser: rec('user'), sendToConnection: rec('conn') } as unknown as SignalRService;
    await publishSignalR(parse({ target: 't', arguments: [1], excluded: ['x'] }), service);
    await publishSignalR(parse({ group: 'g', target: 't' }), service);
    await publishSignalR(parse({ user: 'u', target: 't' }), service);
    await publishSignalR(parse({ connectionId: 'c', target: 't' }), service);
    expect(calls).toEqual(['all:["t",[1],["x"]]', 'group:["g","t",[],[]]', 'user:["u","t",[]]', 'conn:["c","t",[]]']);
  });
});
