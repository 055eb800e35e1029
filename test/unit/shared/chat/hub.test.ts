import { chatHub } from '../../../../shared/chat/hub';
import { deviceOwnerGroup } from '../../../../shared/chat/message';
import { loadConfig } from '../../../../shared/config/app-config';
import { createHubRegistry } from '../../../../shared/hub/hub-registry';
import { dispatchEvent } from '../../../../shared/upstream/hub-dispatch';
import type { ConnectionContext, MqttConnectProperties } from '../../../../shared/upstream/event-types';
import type { GroupMember } from '../../../../shared/hub/hub-service';
import { fakeService } from '../../../support/functions-harness';

const logs: string[] = [];
const log = { info: (m: string) => void logs.push(m), warn: (m: string) => void logs.push(m), error: (m: string) => void logs.push(m) };
const ctx = (eventName: string, userId: string | null = 'alice'): ConnectionContext => ({
  hub: 'chat',
  connectionId: 'c1',
  eventName,
  ...(userId ? { userId } : {}),
  origin: 'localhost',
  states: {},
});
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('chat hub', () => {
  it('refuses connections without a user id (401) and accepts others (204)', async () => {
    const connect = (userId: string | null) =>
      dispatchEvent(
        { kind: 'connect', request: { context: ctx('connect', userId), claims: {}, query: {}, headers: {}, subprotocols: [], clientCertificates: [] } },
        chatHub,
        fakeService(),
        log,
      );
    await expect(connect(null)).rejects.toMatchObject({ status: 401 });
    await expect(connect('alice')).resolves.toMatchObject({ status: 204 });
  });

  it('refuses an MQTT device without a user id with the CONNACK code of its version', async () => {
    const connect = (protocolVersion: number) =>
      dispatchEvent(
        {
          kind: 'connect',
          request: {
            context: { ...ctx('connect', null), clientProtocol: 'mqtt', mqtt: { physicalConnectionId: 'p1' } },
            claims: {},
            query: {},
            headers: {},
            subprotocols: ['mqtt'],
            clientCertificates: [],
            mqtt: { protocolVersion },
          },
        },
        chatHub,
        fakeService(),
        log,
      );
    const v5 = await connect(5);
    expect(v5.status).toBe(401);
    expect(JSON.parse(String(v5.body))).toMatchObject({ mqtt: { code: 0x87 } });
    expect(JSON.parse(String((await connect(4)).body))).toMatchObject({ mqtt: { code: 5 } });
  });

  it('message to everyone: {from, text, at}', async () => {
    const service = fakeService();
    const reply = await dispatchEvent({ kind: 'user', request: { context: ctx('message'), dataType: 'json', data: { text: 'hello' } } }, chatHub, service, log);
    expect(reply.status).toBe(204);
    expect(service.sent).toHaveLength(1);
    expect(service.sent[0]).toMatchObject({ op: 'sendToAll', data: { from: 'alice', text: 'hello' } });
    expect((service.sent[0]!.data as { at: string }).at).toMatch(ISO);
    expect(Object.keys(service.sent[0]!.data as object).sort()).toEqual(['at', 'from', 'text']);
  });

  it('message to a group: {from, text, group, at} to that group only', async () => {
    const service = fakeService();
    await dispatchEvent({ kind: 'user', request: { context: ctx('message'), dataType: 'json', data: { text: 'hi', group: 'room' } } }, chatHub, service, log);
    expect(service.sent).toEqual([{ op: 'sendToGroup', target: 'room', data: { from: 'alice', text: 'hi', group: 'room', at: expect.stringMatching(ISO) } }]);
  });

  it('a plain text frame is a message too', async () => {
    const service = fakeService();
    await dispatchEvent({ kind: 'user', request: { context: ctx('message'), dataType: 'text', data: 'yo' } }, chatHub, service, log);
    expect(service.sent[0]).toMatchObject({ op: 'sendToAll', data: { from: 'alice', text: 'yo' } });
  });

  it('an invalid message → 400 and nothing sent', async () => {
    const service = fakeService();
    await expect(
      dispatchEvent({ kind: 'user', request: { context: ctx('message'), dataType: 'json', data: { text: '' } } }, chatHub, service, log),
    ).rejects.toMatchObject({ status: 400 });
    expect(service.sent).toEqual([]);
  });

  it('connected: announces joined to the others, then sends the newcomer a snapshot', async () => {
    const service = fakeService('chat', [
      { connectionId: 'c0', userId: 'bob' },
      { connectionId: 'c1', userId: 'alice' },
      { connectionId: 'c2', userId: 'bob' },
    ]);
    await dispatchEvent({ kind: 'connected', request: { context: ctx('connected') } }, chatHub, service, log);
    expect(service.sent).toEqual([
      { op: 'sendToAll', data: { system: 'joined', userId: 'alice' }, options: { excluded: ['c1'] } },
      { op: 'addConnectionToGroup', target: '__presence', data: 'c1' },
      { op: 'sendToConnection', target: 'c1', data: { system: 'roster', users: ['alice', 'bob'] } },
    ]);
  });

  it('connected: a roster larger than 1,000 users is complete, in frames of 1,000 (the old roster stopped at 1,000)', async () => {
    const members = Array.from({ length: 2500 }, (_, i) => ({ connectionId: `c${i}`, userId: `user${String(i).padStart(4, '0')}` }));
    const service = fakeService('chat', members);
    await dispatchEvent({ kind: 'connected', request: { context: ctx('connected') } }, chatHub, service, log);
    const frames = service.sent.filter((m) => m.op === 'sendToConnection').map((m) => m.data as { users: string[]; continued?: true });
    expect(frames.map((f) => [f.users.length, f.continued])).toEqual([
      [1000, undefined],
      [1000, true],
      [500, true],
    ]);
    expect(frames.flatMap((f) => f.users)).toEqual(members.map((m) => m.userId));
  });

  it('connected: a roster failure is logged, the join announcement still happened', async () => {
    const service = fakeService();
    service.listGroupConnections = () => Promise.reject(new Error('no list'));
    logs.length = 0;
    await dispatchEvent({ kind: 'connected', request: { context: ctx('connected') } }, chatHub, service, log);
    expect(service.sent[0]).toMatchObject({ op: 'sendToAll', data: { system: 'joined', userId: 'alice' } });
    expect(logs.some((l) => l.includes('roster'))).toBe(true);
  });

  it('disconnected: announces left', async () => {
    const service = fakeService();
    await dispatchEvent({ kind: 'disconnected', request: { context: ctx('disconnected'), reason: '' } }, chatHub, service, log);
    expect(service.sent).toEqual([{ op: 'sendToAll', data: { system: 'left', userId: 'alice' } }]);
  });

  it('join / leave: the hub adds or removes the connection ({group} or a text frame)', async () => {
    const service = fakeService();
    await dispatchEvent({ kind: 'user', request: { context: ctx('join'), dataType: 'json', data: { group: 'ops' } } }, chatHub, service, log);
    await dispatchEvent({ kind: 'user', request: { context: ctx('leave'), dataType: 'text', data: 'ops' } }, chatHub, service, log);
    expect(service.sent).toEqual([
      { op: 'addConnectionToGroup', target: 'ops', data: 'c1' },
      { op: 'removeConnectionFromGroup', target: 'ops', data: 'c1' },
    ]);
  });

  it.each([
    ['join', { group: '__presence' }],
    ['leave', { group: '__presence' }],
    ['join', { group: '__anything' }],
    ['join', { group: deviceOwnerGroup('alice') }],
    ['message', { text: 'forged', group: '__presence' }],
    ['join', { group: '   ' }],
    ['join', {}],
  ])("%s %j → 400, the presence group is the hub's alone", async (event, data) => {
    const service = fakeService();
    await expect(dispatchEvent({ kind: 'user', request: { context: ctx(event), dataType: 'json', data } }, chatHub, service, log)).rejects.toMatchObject({
      status: 400,
    });
    expect(service.sent).toEqual([]);
  });

  it('grants clients no roles: WebPubSubRoles for the chat hub fails start-up, naming the setting', () => {
    const env = { NegotiateAuth: 'dev', WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;' };
    expect(() => createHubRegistry(loadConfig(env), [chatHub])).not.toThrow();
    expect(() => createHubRegistry(loadConfig({ ...env, WebPubSubRoles: 'webpubsub.joinLeaveGroup' }), [chatHub])).toThrow(
      /WebPubSubRoles__chat: hub "chat" does not allow webpubsub.joinLeaveGroup/,
    );
    expect(() => createHubRegistry(loadConfig({ ...env, WebPubSubRoles: 'webpubsub.sendToGroup' }), [chatHub])).toThrow(/does not allow webpubsub.sendToGroup/);
  });

  describe('MQTT devices (docs/mqtt.md, "Chat with devices")', () => {
    const deviceConnect = (mqtt: MqttConnectProperties, userId: string | null = 'thermostat', service = fakeService()) =>
      dispatchEvent(
        {
          kind: 'connect',
          request: {
            context: { ...ctx('connect', userId), connectionId: 'd1', clientProtocol: 'mqtt', mqtt: { physicalConnectionId: 'p1' } },
            claims: {},
            query: {},
            headers: {},
            subprotocols: ['mqtt'],
            clientCertificates: [],
            mqtt,
          },
        },
        chatHub,
        service,
        log,
      );
    const mqttCode = (reply: { body?: unknown }) => (JSON.parse(String(reply.body)) as { mqtt: { code: number } }).mqtt.code;

    it.each([4, 5])("MQTT %s: puts a device in the room its user name names, with that room's two roles only", async (protocolVersion) => {
      const reply = await deviceConnect({ protocolVersion, username: 'kitchen' });
      expect(reply.status).toBe(200);
      // No userId in the reply: the device is who its token says, never what CONNECT says.
      expect(JSON.parse(String(reply.body))).toEqual({
        groups: ['kitchen', deviceOwnerGroup('thermostat')],
        roles: ['webpubsub.joinLeaveGroup.kitchen', 'webpubsub.sendToGroup.kitchen'],
      });
    });

    it('MQTT 5.0: `room` user properties name more rooms', async () => {
      const reply = await deviceConnect({ protocolVersion: 5, username: 'kitchen', userProperties: [{ name: 'room', value: 'garage' }] });
      expect(JSON.parse(String(reply.body))).toEqual({
        groups: ['kitchen', 'garage', deviceOwnerGroup('thermostat')],
        roles: ['webpubsub.joinLeaveGroup.kitchen', 'webpubsub.sendToGroup.kitchen', 'webpubsub.joinLeaveGroup.garage', 'webpubsub.sendToGroup.garage'],
      });
    });

    it('a device naming no room is accepted in no room and with no role, only in its device group (it still gets server messages)', async () => {
      const reply = await deviceConnect({ protocolVersion: 5 });
      expect(JSON.parse(String(reply.body))).toEqual({ groups: [deviceOwnerGroup('thermostat')] });
    });

    it.each([
      [5, '__presence', 0x87],
      [4, '__presence', 5],
      [5, '$webpubsub/server/messages', 0x87],
      [4, '$webpubsub/server/messages', 5],
      [5, 'kitchen/#', 0x86],
      [4, 'kitchen/+', 4],
    ])('MQTT %s: refuses the room %j with CONNACK 0x%s', async (protocolVersion, username, code) => {
      const reply = await deviceConnect({ protocolVersion, username });
      expect(mqttCode(reply)).toBe(code);
    });

    /** A service where the connection `d1` is open and the groups hold what `groups` says (the presence group included). */
    const withGroups = (groups: Record<string, GroupMember[]>) => {
      const service = fakeService();
      service.connectionExists = async (c) => Object.values(groups).some((members) => members.some((m) => m.connectionId === c));
      service.listGroupConnections = async (group) => groups[group] ?? [];
      return service;
    };
    const alicesDevice = { connectionId: 'd1', userId: 'alice' };

    it.each([4, 5])("MQTT %s: refuses another user's client id (no knocking a device offline), accepts the same user's", async (protocolVersion) => {
      const taken = withGroups({ __presence: [alicesDevice], [deviceOwnerGroup('alice')]: [alicesDevice] });
      expect(mqttCode(await deviceConnect({ protocolVersion, username: 'kitchen' }, 'thermostat', taken))).toBe(protocolVersion === 5 ? 0x85 : 2);
      const own = withGroups({ __presence: [alicesDevice], [deviceOwnerGroup('alice')]: [alicesDevice] });
      expect((await deviceConnect({ protocolVersion, username: 'kitchen' }, 'alice', own)).status).toBe(200);
    });

    // The device joins the presence group in `connected`, after its CONNACK: the owner was looked up
    // there, so in between anyone could take the session over.
    it.each([4, 5])(
      "MQTT %s: refuses another user's client id right after the device's CONNACK, before it is in the presence group",
      async (protocolVersion) => {
        const justConnected = withGroups({ [deviceOwnerGroup('alice')]: [alicesDevice] });
        expect(mqttCode(await deviceConnect({ protocolVersion, username: 'kitchen' }, 'mallory', justConnected))).toBe(protocolVersion === 5 ? 0x85 : 2);
        expect((await deviceConnect({ protocolVersion, username: 'kitchen' }, 'alice', justConnected)).status).toBe(200);
      },
    );

    it('refuses a client id whose open connection is in no device group (owner unknown), even for a user whose presence shows it', async () => {
      const unknown = withGroups({ __presence: [{ connectionId: 'd1', userId: 'thermostat' }] });
      expect(mqttCode(await deviceConnect({ protocolVersion: 5, username: 'kitchen' }, 'thermostat', unknown))).toBe(0x85);
    });

    it('MQTT 5.0: refuses more than 10 rooms with quota exceeded (0x97)', async () => {
      const userProperties = Array.from({ length: 11 }, (_, i) => ({ name: 'room', value: `r${i}` }));
      expect(mqttCode(await deviceConnect({ protocolVersion: 5, userProperties }))).toBe(0x97);
    });

    it('a web client naming a room gets nothing: rooms through connect are for MQTT devices only', async () => {
      const reply = await dispatchEvent(
        {
          kind: 'connect',
          request: {
            context: ctx('connect'),
            claims: {},
            query: {},
            headers: {},
            subprotocols: [],
            clientCertificates: [],
            mqtt: { protocolVersion: 5, username: 'kitchen' },
          },
        },
        chatHub,
        fakeService(),
        log,
      );
      expect(reply.status).toBe(204);
    });

    it('the chat still lets no configuration grant client tokens a room role', () => {
      const env = { NegotiateAuth: 'dev', WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;' };
      expect(() => createHubRegistry(loadConfig({ ...env, WebPubSubRoles: 'webpubsub.sendToGroup.kitchen' }), [chatHub])).toThrow(/does not allow/);
    });
  });
});
