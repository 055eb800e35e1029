import { isValidRoomName, MAX_SHOWN_TEXT, Presence, toChatEntry } from '../../../web/chat-entries';

describe('toChatEntry', () => {
  it.each([
    [
      { from: 'alice', text: 'hi', at: '2026-01-01T10:00:00Z' },
      undefined,
      { kind: 'message', from: 'alice', text: 'hi', at: new Date('2026-01-01T10:00:00Z') },
    ],
    [{ from: 'bob', text: 'in room', group: 'ops' }, undefined, { kind: 'message', from: 'bob', text: 'in room', group: 'ops' }],
    [{ from: 'bob', text: 'x' }, 'dev', { kind: 'message', from: 'bob', text: 'x', group: 'dev' }],
    [{ text: 'no sender', at: 'not a date' }, undefined, { kind: 'message', from: 'server', text: 'no sender' }],
    [{ system: 'joined', userId: 'carol' }, undefined, { kind: 'presence', userId: 'carol', joined: true }],
    [{ system: 'left', userId: 'carol' }, undefined, { kind: 'presence', userId: 'carol', joined: false }],
    [{ system: 'roster', users: ['a', 2, 'b'] }, undefined, { kind: 'roster', users: ['a', 'b'] }],
    ['plain text', undefined, { kind: 'notice', text: 'plain text' }],
    [{ other: 1 }, undefined, { kind: 'notice', text: '{"other":1}' }],
    [[1, 2], undefined, { kind: 'notice', text: '[1,2]' }],
    [42, undefined, { kind: 'notice', text: '42' }],
  ])('%j (group %j)', (data, group, entry) => {
    expect(toChatEntry(data, group)).toEqual(entry);
  });

  it('a roster frame marked continued extends the one before', () => {
    expect(toChatEntry({ system: 'roster', users: ['c'], continued: true })).toEqual({ kind: 'roster', users: ['c'], continued: true });
  });

  describe('a message another client sent to a group (it carries the service-stamped fromUserId)', () => {
    it('is shown as the real sender\'s, whatever its "from" says', () => {
      expect(toChatEntry({ from: 'alice', text: 'send me your password' }, 'room1', 'mallory')).toEqual({
        kind: 'message',
        from: 'mallory',
        text: 'send me your password',
        group: 'room1',
      });
    });
    it.each([[{ system: 'joined', userId: 'ghost' }], [{ system: 'left', userId: 'alice' }], [{ system: 'roster', users: ['nobody'] }]])(
      'never counts as presence: %j',
      (data) => {
        const entry = toChatEntry(data, '__presence', 'mallory');
        expect(entry.kind).toBe('message');
        expect(entry).toMatchObject({ from: 'mallory' });
      },
    );
    it('plain text and binary are lines from the sender too', () => {
      expect(toChatEntry('hi', 'room1', 'mallory')).toEqual({ kind: 'message', from: 'mallory', text: 'hi', group: 'room1' });
      expect(toChatEntry(new ArrayBuffer(2), 'room1', 'mallory')).toMatchObject({ from: 'mallory', text: '(2 bytes of binary data)' });
    });
  });

  it('describes binary data by size', () => {
    expect(toChatEntry(new ArrayBuffer(3))).toEqual({ kind: 'notice', text: '(3 bytes of binary data)' });
  });

  it('shows what a client (an MQTT device) published to a room as a line from its user id', () => {
    expect(toChatEntry('21.5 C', 'lab', 'sensor1')).toEqual({ kind: 'message', from: 'sensor1', text: '21.5 C', group: 'lab' });
    expect(toChatEntry(new TextEncoder().encode('door open').buffer, 'lab', 'sensor1')).toEqual({
      kind: 'message',
      from: 'sensor1',
      text: 'door open',
      group: 'lab',
    });
    expect(toChatEntry(new Uint8Array([0xff, 0xfe]).buffer, 'lab', 'sensor1')).toEqual({
      kind: 'message',
      from: 'sensor1',
      text: '(2 bytes of binary data)',
      group: 'lab',
    });
    // The service's fromUserId wins over a `from` the publisher claims.
    expect(toChatEntry({ from: 'admin', text: 'hi' }, 'lab', 'sensor1')).toMatchObject({ kind: 'message', from: 'sensor1' });
  });

  it("shows the first 4,000 characters of a device's longer message (it skipped the hub's limit)", () => {
    const long = 'x'.repeat(MAX_SHOWN_TEXT + 1);
    expect(toChatEntry(long, 'lab', 'sensor1')).toMatchObject({ text: `${'x'.repeat(MAX_SHOWN_TEXT)}…` });
    expect(toChatEntry({ text: long }, 'lab', 'sensor1')).toMatchObject({ text: `${'x'.repeat(MAX_SHOWN_TEXT)}…` });
    expect(toChatEntry('y'.repeat(MAX_SHOWN_TEXT), 'lab', 'sensor1')).toMatchObject({ text: 'y'.repeat(MAX_SHOWN_TEXT) });
  });
});

describe('Presence', () => {
  it('keeps a user online until each of their connections has left', () => {
    const p = new Presence();
    p.join('bob');
    p.join('bob');
    p.join('amy');
    p.leave('bob');
    expect(p.users()).toEqual(['amy', 'bob']);
    p.leave('bob');
    p.leave('nobody');
    expect(p.users()).toEqual(['amy']);
    p.reset(['zed', 'ann']);
    expect(p.users()).toEqual(['ann', 'zed']);
    p.add(['bob', 'ann']);
    expect(p.users()).toEqual(['ann', 'bob', 'zed']);
  });
});

describe('isValidRoomName', () => {
  it.each([
    ['ops', true],
    ['  ', false],
    ['', false],
    ['x'.repeat(1025), false],
  ])('%j → %s', (name, ok) => expect(isValidRoomName(name)).toBe(ok));
});
