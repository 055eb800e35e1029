import { DeviceRoomError, deviceRoomProblem, deviceRooms, isDeviceRoomRole, MAX_DEVICE_ROOMS, roomRoles } from '../../../../shared/chat/device-rooms';
import type { ConnectRequest, MqttConnectProperties } from '../../../../shared/upstream/event-types';

const mqttRequest = (mqtt: MqttConnectProperties, clientProtocol: 'mqtt' | 'default' = 'mqtt'): ConnectRequest => ({
  context: { hub: 'chat', connectionId: 'd1', eventName: 'connect', userId: 'thermostat', origin: 'localhost', states: {}, clientProtocol },
  claims: {},
  query: {},
  headers: {},
  subprotocols: clientProtocol === 'mqtt' ? ['mqtt'] : [],
  clientCertificates: [],
  mqtt,
});

function problemOf(mqtt: MqttConnectProperties): string | undefined {
  try {
    deviceRooms(mqtt);
    return undefined;
  } catch (e) {
    return (e as DeviceRoomError).problem;
  }
}

describe('device rooms', () => {
  it('the MQTT user name names a room; MQTT 5.0 `room` user properties name more, without duplicates', () => {
    expect(deviceRooms({ protocolVersion: 4, username: 'kitchen' })).toEqual(['kitchen']);
    expect(
      deviceRooms({
        protocolVersion: 5,
        username: 'kitchen',
        userProperties: [
          { name: 'room', value: 'garage' },
          { name: 'other', value: 'ignored' },
          { name: 'room', value: 'kitchen' },
        ],
      }),
    ).toEqual(['kitchen', 'garage']);
  });

  it('no user name (or an empty one) names no room', () => {
    expect(deviceRooms({ protocolVersion: 4 })).toEqual([]);
    expect(deviceRooms({ protocolVersion: 5, username: '' })).toEqual([]);
    expect(deviceRooms(undefined)).toEqual([]);
  });

  it.each([
    ['__presence', 'reserved'],
    ['__anything', 'reserved'],
    ['$webpubsub/server/messages', 'reserved'],
    ['$SYS', 'reserved'],
    ['kitchen/#', 'bad-name'],
    ['+', 'bad-name'],
    ['   ', 'bad-name'],
    ['x'.repeat(1025), 'bad-name'],
  ])('refuses %j (%s)', (room, problem) => {
    expect(deviceRoomProblem(room)).toBe(problem);
    expect(problemOf({ protocolVersion: 4, username: room })).toBe(problem);
    expect(problemOf({ protocolVersion: 5, userProperties: [{ name: 'room', value: room }] })).toBe(problem);
  });

  it('accepts names web users use, with spaces, dots, slashes and any script', () => {
    for (const room of ['kitchen', 'ops team', 'a.b', 'home/kitchen', 'кухня', '_single']) expect(deviceRoomProblem(room)).toBeUndefined();
  });

  it(`refuses more than ${MAX_DEVICE_ROOMS} rooms`, () => {
    const rooms = (n: number) => Array.from({ length: n }, (_, i) => ({ name: 'room', value: `r${i}` }));
    expect(deviceRooms({ protocolVersion: 5, userProperties: rooms(MAX_DEVICE_ROOMS) })).toHaveLength(MAX_DEVICE_ROOMS);
    expect(problemOf({ protocolVersion: 5, userProperties: rooms(MAX_DEVICE_ROOMS + 1) })).toBe('too-many');
  });

  it('a room gives exactly its subscribe and publish roles', () => {
    expect(roomRoles('kitchen')).toEqual(['webpubsub.joinLeaveGroup.kitchen', 'webpubsub.sendToGroup.kitchen']);
  });

  describe('the guard on connect replies', () => {
    const device = mqttRequest({ protocolVersion: 5, username: 'kitchen', userProperties: [{ name: 'room', value: 'a.b' }] });
    it('allows the roles of the rooms the device named', () => {
      for (const role of [...roomRoles('kitchen'), ...roomRoles('a.b')]) expect(isDeviceRoomRole(role, device)).toBe(true);
    });
    it.each([
      'webpubsub.sendToGroup',
      'webpubsub.joinLeaveGroup',
      'webpubsub.sendToGroup.garage',
      'webpubsub.joinLeaveGroup.__presence',
      'webpubsub.sendToGroups.*',
      'webpubsub.joinLeaveGroups.kitchen',
      'webpubsub.sendToGroup.kitchen2',
      'kitchen',
    ])('refuses %s', (role) => {
      expect(isDeviceRoomRole(role, device)).toBe(false);
    });
    it('refuses every role to a web client, even one that looks like a room role', () => {
      const web = mqttRequest({ protocolVersion: 5, username: 'kitchen' }, 'default');
      expect(isDeviceRoomRole('webpubsub.sendToGroup.kitchen', web)).toBe(false);
    });
    it('refuses every role when the CONNECT names a room the chat refuses', () => {
      const bad = mqttRequest({ protocolVersion: 5, username: 'kitchen', userProperties: [{ name: 'room', value: '__presence' }] });
      expect(isDeviceRoomRole('webpubsub.sendToGroup.kitchen', bad)).toBe(false);
    });
    it('reads the CONNECT once per request, however many roles the reply grants', () => {
      const properties: MqttConnectProperties = { protocolVersion: 5, username: 'kitchen', userProperties: [{ name: 'room', value: 'a.b' }] };
      let reads = 0;
      const request = mqttRequest(properties);
      Object.defineProperty(request, 'mqtt', {
        get: () => {
          reads++;
          return properties;
        },
      });
      const roles = [...roomRoles('kitchen'), ...roomRoles('a.b'), 'webpubsub.sendToGroup.garage'];
      expect(roles.map((role) => isDeviceRoomRole(role, request))).toEqual([true, true, true, true, false]);
      expect(reads).toBe(1);
      // Another request (the next CONNECT) is read afresh.
      expect(isDeviceRoomRole('webpubsub.sendToGroup.garage', mqttRequest({ protocolVersion: 4, username: 'garage' }))).toBe(true);
    });
  });
});
