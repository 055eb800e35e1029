import type { IConnectPacket } from 'mqtt-packet';
import {
  connectFailure,
  connectProperties,
  connectSuccessUserProperties,
  disconnectedProperties,
  fromUserPropertyList,
  toUserPropertyList,
} from '../../../../emulator/mqtt/upstream-properties';
import type { DispatchResult } from '../../../../emulator/upstream/event-dispatcher';

const reply = (status: number, body: unknown): DispatchResult => ({
  kind: 'reply',
  response: { status, headers: {}, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) },
});

describe('MQTT upstream properties', () => {
  it('puts version, username, base64 password and user properties in the connect body', () => {
    const packet: IConnectPacket = {
      cmd: 'connect',
      protocolVersion: 5,
      clientId: 'x',
      username: 'u',
      password: Buffer.from([0, 255]),
      properties: { userProperties: { a: ['1', '2'], b: '3' } },
    };
    expect(connectProperties(packet, 5)).toEqual({
      protocolVersion: 5,
      username: 'u',
      password: 'AP8=',
      userProperties: [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
        { name: 'b', value: '3' },
      ],
    });
    expect(connectProperties({ cmd: 'connect', protocolVersion: 4, clientId: 'x' }, 4)).toEqual({ protocolVersion: 4 });
  });

  it('round-trips user property lists', () => {
    const list = [
      { name: 'a', value: '1' },
      { name: 'a', value: '2' },
    ];
    expect(toUserPropertyList(fromUserPropertyList(list))).toEqual(list);
    expect(fromUserPropertyList([])).toBeUndefined();
  });

  it('takes the CONNACK code from the reply body, else from the status', () => {
    expect(connectFailure(reply(401, { mqtt: { code: 0x8a, reason: 'banned' } }), 5)).toEqual({ code: 0x8a, reason: 'banned' });
    expect(connectFailure(reply(401, { mqtt: { code: 0x8a } }), 4).code).toBe(5);
    expect(connectFailure(reply(400, undefined), 5).code).toBe(0x86);
    expect(connectFailure(reply(502, 'x'), 4).code).toBe(3);
    expect(connectFailure({ kind: 'failed', reason: 'timeout' }, 5).code).toBe(0x80);
  });

  it('reads the success reply user properties and builds the disconnected object', () => {
    expect(connectSuccessUserProperties(reply(200, { mqtt: { userProperties: [{ name: 'w', value: 'v' }, { bad: 1 }] } }))).toEqual([
      { name: 'w', value: 'v' },
    ]);
    expect(connectSuccessUserProperties({ kind: 'no-handler' })).toBeUndefined();
    expect(disconnectedProperties(true, 0, { cmd: 'disconnect', properties: { userProperties: { bye: 'now' } } })).toEqual({
      initiatedByClient: true,
      disconnectPacket: { code: 0, userProperties: [{ name: 'bye', value: 'now' }] },
    });
    expect(disconnectedProperties(false, 0x8e)).toEqual({ initiatedByClient: false, disconnectPacket: { code: 0x8e } });
  });
});
