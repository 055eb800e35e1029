import { signalrChatEntry } from '../../../web/signalr-entries';

describe('signalrChatEntry', () => {
  it('shows a chat line from `message`', () => {
    expect(signalrChatEntry('message', { from: 'ann', text: 'hi', group: 'ops', at: '2026-01-01T10:00:00Z' })).toEqual({
      kind: 'message',
      from: 'ann',
      text: 'hi',
      group: 'ops',
      at: new Date('2026-01-01T10:00:00Z'),
    });
  });

  it('counts hub-wide `system` announcements as presence', () => {
    expect(signalrChatEntry('system', { system: 'joined', userId: 'bob' })).toEqual({ kind: 'presence', userId: 'bob', joined: true });
    expect(signalrChatEntry('system', { system: 'left', userId: 'bob' })).toEqual({ kind: 'presence', userId: 'bob', joined: false });
  });

  it('shows a room announcement as a notice, not as presence', () => {
    expect(signalrChatEntry('system', { system: 'joined', userId: 'bob', group: 'ops' })).toEqual({ kind: 'notice', text: 'bob joined #ops' });
    expect(signalrChatEntry('system', { system: 'left', userId: 'bob', group: 'ops' })).toEqual({ kind: 'notice', text: 'bob left #ops' });
  });
});
