import { buildCloudEventHeaders } from '../../../../emulator/upstream/cloud-event-request';
import { groupPresenceEvent, matchesGroupFilter, selectPresenceHandler, wantsGroupPresence } from '../../../../emulator/upstream/group-presence';
import { defaultHubSettings, parseHubsConfig, type EventHandlerSettings } from '../../../../emulator/config';

const handler = (name: string, presence?: EventHandlerSettings['groupPresenceEvents']): EventHandlerSettings => ({
  urlTemplate: `http://h/${name}`,
  userEventPattern: '*',
  systemEvents: [],
  ...(presence ? { groupPresenceEvents: presence } : {}),
});

describe('group presence', () => {
  it.each([
    ['room', 'room', true],
    ['room', 'Room', false],
    ['room*', 'room', true],
    ['room*', 'room-42', true],
    ['*-vip', 'a-vip', true],
    ['*-vip', 'a-vipx', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['*', 'anything', true],
  ])('filter %s matches %s: %s', (pattern, group, expected) => {
    expect(matchesGroupFilter(pattern, group)).toBe(expected);
  });

  it('takes the first handler that asks for the event and the group; none without groupPresenceEvents', () => {
    const handlers = [
      handler('none'),
      handler('left-only', { eventNames: ['left'] }),
      handler('rooms', { eventNames: ['joined', 'left'], groupFilters: ['room*'] }),
      handler('all', { eventNames: ['joined'] }),
    ];
    expect(selectPresenceHandler(handlers, 'left', 'x')?.urlTemplate).toBe('http://h/left-only');
    expect(selectPresenceHandler(handlers, 'joined', 'room1')?.urlTemplate).toBe('http://h/rooms');
    expect(selectPresenceHandler(handlers, 'joined', 'lobby')?.urlTemplate).toBe('http://h/all');
    expect(selectPresenceHandler([handler('none'), handler('empty', { eventNames: [] })], 'joined', 'g')).toBeUndefined();
    expect(wantsGroupPresence({ ...defaultHubSettings('h'), eventHandlers: [handler('empty', { eventNames: [] })] })).toBe(false);
    expect(wantsGroupPresence({ ...defaultHubSettings('h'), eventHandlers: handlers })).toBe(true);
  });

  it('builds the CloudEvent express 1.1.0 dispatches to onGroupJoined', () => {
    const event = groupPresenceEvent('joined', 'g "1"');
    expect(JSON.parse(event.body.toString())).toEqual({ group: 'g "1"' });
    const headers = buildCloudEventHeaders({
      event,
      connection: { hub: 'chat', connectionId: 'c', userId: 'u', subprotocol: null, state: '' },
      ceId: '3',
      time: new Date(0),
      keys: [],
      origin: 'localhost',
    });
    expect(headers).toMatchObject({
      'ce-type': 'azure.webpubsub.gp.joined',
      'ce-eventName': 'joined',
      'Content-Type': 'application/json; charset=utf-8',
      'ce-userId': 'u',
    });
  });

  it('reads groupPresenceEvents from the --config file and reports bad ones', () => {
    const hubs = parseHubsConfig({
      hubs: { chat: { eventHandlers: [{ urlTemplate: 'http://h/x', groupPresenceEvents: { eventNames: ['joined', 'joined'], groupFilters: ['a*'] } }] } },
    });
    expect(hubs.get('chat')!.eventHandlers[0]!.groupPresenceEvents).toEqual({ eventNames: ['joined'], groupFilters: ['a*'] });
    expect(() =>
      parseHubsConfig({
        hubs: { chat: { eventHandlers: [{ urlTemplate: 'http://h/x', groupPresenceEvents: { eventNames: ['entered'], groupFilters: [''] } }] } },
      }),
    ).toThrow(/groupPresenceEvents.eventNames: expected an array of "joined", "left"[\s\S]*groupPresenceEvents.groupFilters/);
  });
});
