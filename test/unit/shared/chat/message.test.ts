import { deviceOwnerGroup, parseChatMessage, PRESENCE_GROUP } from '../../../../shared/chat/message';
import { isValidGroupName } from '../../../../shared/validation/names';
import { BadRequestError } from '../../../../shared/http/errors';
import type { ConnectionContext, UserEventRequest } from '../../../../shared/upstream/event-types';

const context: ConnectionContext = { hub: 'chat', connectionId: 'c', eventName: 'message', userId: 'u', origin: '', states: {} };
const json = (data: unknown): UserEventRequest => ({ context, dataType: 'json', data });

describe('parseChatMessage', () => {
  it('reads {text, group?} from JSON clients and a whole text frame from simple clients', () => {
    expect(parseChatMessage(json({ text: 'hi' }))).toEqual({ text: 'hi' });
    expect(parseChatMessage(json({ text: 'hi', group: 'room' }))).toEqual({ text: 'hi', group: 'room' });
    expect(parseChatMessage({ context, dataType: 'text', data: 'plain' })).toEqual({ text: 'plain' });
    expect(parseChatMessage(json({ text: 'x'.repeat(4000) })).text).toHaveLength(4000);
  });
  it.each<[string, UserEventRequest]>([
    ['empty text', json({ text: '' })],
    ['blank text', json({ text: '   ' })],
    ['text too long', json({ text: 'x'.repeat(4001) })],
    ['text not a string', json({ text: 5 })],
    ['not an object', json('hi')],
    ['array', json([])],
    ['bad group', json({ text: 'a', group: '  ' })],
    ['group not a string', json({ text: 'a', group: 1 })],
    ['the presence group', json({ text: 'a', group: PRESENCE_GROUP })],
    ['any reserved group', json({ text: 'a', group: '__system' })],
    ['binary', { context, dataType: 'binary', data: new Uint8Array([1]) }],
    ['empty text frame', { context, dataType: 'text', data: '' }],
  ])('400 for %s', (_n, request) => {
    expect(() => parseChatMessage(request)).toThrow(BadRequestError);
  });
});

describe('deviceOwnerGroup', () => {
  it('is reserved, one per user, and a valid group name for any user id', () => {
    const ids = ['alice', 'Alice', 'a'.repeat(5000), 'x/y#+ é 🙂', ''];
    const groups = ids.map(deviceOwnerGroup);
    expect(new Set(groups).size).toBe(ids.length);
    for (const g of groups) {
      expect(g.startsWith('__')).toBe(true);
      expect(isValidGroupName(g)).toBe(true);
    }
    expect(deviceOwnerGroup('alice')).toBe(deviceOwnerGroup('alice'));
  });
});
