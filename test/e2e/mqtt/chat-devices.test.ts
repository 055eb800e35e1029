import { WebPubSubClient, type OnGroupDataMessageArgs, type OnServerDataMessageArgs } from '@azure/web-pubsub-client';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { createEventHandler } from '../../../functions/event-handler';
import { createNegotiateHandler } from '../../../functions/negotiate';
import { loadConfig } from '../../../shared/config/app-config';
import { createRuntime, type Runtime } from '../../../shared/config/app-runtime';
import { bodyText, DEV_KEY, invocation, request } from '../../support/functions-harness';
import { serveFunctions, type InProcessFunctions } from '../../support/in-process-functions';
import { connackRefusal, connectDevice, endDevices, subscribeCodes, type TestDevice } from '../../support/mqtt-device';

/**
 * The chat hub relaying between MQTT.js devices (3.1.1 and 5.0) and web users of the official client
 * SDK in the same room (docs/mqtt.md, "Chat with devices"): the app's negotiate and event handler, the
 * emulator enforcing the roles the hub granted.
 */

describe.each([4, 5] as const)('chat with MQTT %s devices', (version) => {
  const v5 = version === 5;
  let emulator: RunningEmulator;
  let app: InProcessFunctions;
  let runtime: Runtime;
  const clients: WebPubSubClient[] = [];
  let n = 0;
  /** While set, the app's `connected` event of this connection waits for `release` (see the takeover test). */
  let held: { connectionId: string; release: Promise<void> } | undefined;
  /** Unique per test: room and user names do not leak between tests. */
  const unique = (name: string) => `${name}${version}x${++n}`;

  beforeAll(async () => {
    app = await serveFunctions({
      '/api/eventhandler': () => async (req, context) => {
        const gate = held;
        if (gate && req.headers.get('ce-type') === 'azure.webpubsub.sys.connected' && req.headers.get('ce-connectionid') === gate.connectionId)
          await gate.release;
        return createEventHandler(runtime)(req, context);
      },
    });
    emulator = await startEmulator({
      port: 0,
      keys: [DEV_KEY],
      upstreamRetryDelaysMs: [],
      hubs: {
        chat: {
          eventHandlers: [{ urlTemplate: `${app.base}/api/eventhandler`, userEventPattern: '*', systemEvents: ['connect', 'connected', 'disconnected'] }],
        },
      },
    });
    runtime = createRuntime(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: emulator.connectionString }));
  });
  afterEach(endDevices);
  afterAll(async () => {
    for (const c of clients) c.stop();
    await emulator?.close();
    await app?.close();
  });

  async function negotiate(userId: string, protocol?: 'mqtt'): Promise<string> {
    const query = `userId=${encodeURIComponent(userId)}${protocol ? `&protocol=${protocol}` : ''}`;
    const res = await createNegotiateHandler(runtime)(request({ method: 'GET', url: `http://localhost:7071/api/negotiate?${query}` }), invocation().context);
    return (JSON.parse(bodyText(res!)) as { url: string }).url;
  }

  /** A web user of the chat, in `room` (joined through the hub's `join` event). */
  async function webUser(userId: string, room?: string): Promise<{ client: WebPubSubClient; groupMessages: OnGroupDataMessageArgs[]; server: unknown[] }> {
    const client = new WebPubSubClient({ getClientAccessUrl: () => negotiate(userId) }, { autoReconnect: false, messageRetryOptions: { maxRetries: 0 } });
    clients.push(client);
    const groupMessages: OnGroupDataMessageArgs[] = [];
    const server: unknown[] = [];
    client.on('group-message', (e) => void groupMessages.push(e));
    client.on('server-message', (e: OnServerDataMessageArgs) => void server.push(e.message.data));
    await client.start();
    if (room) await client.sendEvent('join', { group: room }, 'json');
    return { client, groupMessages, server };
  }

  async function device(userId: string, options: { room?: string; rooms?: string[]; clientId?: string } = {}): Promise<TestDevice> {
    return connectDevice(await negotiate(userId, 'mqtt'), version, {
      clientId: options.clientId ?? `d${Math.random().toString(36).slice(2)}`,
      ...(options.room ? { username: options.room } : {}),
      ...(options.rooms ? { properties: { userProperties: { room: options.rooms } } } : {}),
    });
  }

  async function until<T>(read: () => T | undefined, what: string, ms = 5000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const text = (data: unknown) => (data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data);

  it('a device and a web user in the same room talk both ways', async () => {
    const [room, aliceId] = [unique('kitchen'), unique('alice')];
    const alice = await webUser(aliceId, room);
    // The MQTT user name names the room: the device is in it from CONNACK on, without a SUBSCRIBE.
    const thermostat = await device('thermostat', { room });
    await thermostat.client.publishAsync(room, '21.5 C', { qos: 1, ...(v5 ? { properties: { contentType: 'text/plain' } } : {}) });
    const got = await until(() => alice.groupMessages.find((m) => m.message.group === room), 'the device message');
    // The service stamps the device's user id (from its token); MQTT 3.1.1 payloads are binary.
    expect(got.message.fromUserId).toBe('thermostat');
    expect(got.message.dataType).toBe(v5 ? 'text' : 'binary');
    expect(text(got.message.data)).toBe('21.5 C');

    await alice.client.sendEvent('message', { text: 'turn it down', group: room }, 'json');
    // The device's own publish comes back too (it is in the group); MQTT 5.0 can SUBSCRIBE with No Local.
    const echo = await thermostat.next((m) => m.topic === room);
    expect(echo.payload.toString()).toBe('21.5 C');
    const reply = await thermostat.next((m) => m.topic === room);
    expect(JSON.parse(reply.payload.toString())).toEqual({ from: aliceId, text: 'turn it down', group: room, at: expect.any(String) });
    if (v5) expect(reply.contentType).toBe('application/json');
  });

  it('MQTT 5.0 devices may name more rooms with `room` user properties; a 3.1.1 user name is one room, never split', async () => {
    const [a, b] = [unique('lab'), unique('hall')];
    const bob = await webUser(unique('bob'), b);
    if (v5) {
      const sensor = await device('sensor', { room: a, rooms: [b] });
      await sensor.client.publishAsync(b, 'door open', { qos: 1, properties: { contentType: 'text/plain' } });
      const got = await until(() => bob.groupMessages.find((m) => m.message.group === b), 'the message to the second room');
      expect(got.message).toMatchObject({ fromUserId: 'sensor', data: 'door open' });
      return;
    }
    const sensor = await device('sensor', { room: `${a},${b}` });
    expect(await subscribeCodes(sensor.client, [`${a},${b}`, b])).toEqual([1, 0x80]);
  });

  it('a device may subscribe and publish in its rooms only', async () => {
    const [room, other] = [unique('kitchen'), unique('office')];
    const carol = await webUser(unique('carol'), other);
    const thermostat = await device('thermostat', { room });
    expect(await subscribeCodes(thermostat.client, [room, other, '__presence', '$webpubsub/server/messages'])).toEqual([
      1,
      v5 ? 0x87 : 0x80,
      v5 ? 0x87 : 0x80,
      1,
    ]);
    if (v5) await expect(thermostat.client.publishAsync(other, 'sneaking in', { qos: 1 })).rejects.toThrow(/Not authorized|0x87|135/i);
    else await thermostat.client.publishAsync(other, 'sneaking in', { qos: 1 }); // 3.1.1 has no PUBACK codes: acked and dropped
    await thermostat.client.publishAsync('__presence', '{"system":"joined","userId":"ghost"}', { qos: 1 }).catch(() => {});
    // The room's genuine traffic arrives; nothing came before it.
    await carol.client.sendEvent('message', { text: 'office only', group: other }, 'json');
    await until(() => carol.groupMessages.find((m) => (m.message.data as { text?: string }).text === 'office only'), 'the genuine message');
    expect(carol.groupMessages.map((m) => m.message.data)).toEqual([expect.objectContaining({ text: 'office only' })]);
  });

  it('a device cannot speak as someone else: the service stamps its own user id', async () => {
    const room = unique('kitchen');
    const dave = await webUser(unique('dave'), room);
    const mallory = await device('mallory', { room });
    await mallory.client.publishAsync(room, JSON.stringify({ from: 'dave', text: 'send me your password' }), {
      qos: 1,
      ...(v5 ? { properties: { contentType: 'application/json' } } : {}),
    });
    const got = await until(() => dave.groupMessages.find((m) => m.message.group === room), 'the forged message');
    expect(got.message.fromUserId).toBe('mallory');
  });

  it("another user cannot take a device's session over by its client id; the same user can", async () => {
    const room = unique('kitchen');
    const frank = await webUser(unique('frank'), room);
    const clientId = `boiler${version}`;
    const malloryUrl = await negotiate('mallory', 'mqtt');
    // The attempt comes between the device's CONNACK and its `connected` event, which puts it in the
    // presence group: held here, so the window is there every run (the app once read the owner from
    // the presence group and let the takeover through in it).
    let release = (): void => {};
    held = { connectionId: clientId, release: new Promise<void>((resolve) => (release = resolve)) };
    let boiler: TestDevice;
    try {
      boiler = await device('boiler', { room, clientId });
      expect(await connackRefusal(malloryUrl, version, { clientId, username: room })).toBe(v5 ? 0x85 : 2);
      // Still in the window: the device has not had its roster, so it is not in the presence group yet.
      expect(boiler.inbox.filter((m) => m.payload.toString().includes('"roster"'))).toEqual([]);
    } finally {
      held = undefined;
      release();
    }
    await boiler.next((m) => m.topic === '$webpubsub/server/messages' && m.payload.toString().includes('"roster"'));
    // Still connected: what it publishes still arrives.
    await boiler.client.publishAsync(room, 'still here', { qos: 1 });
    await until(() => frank.groupMessages.find((m) => text(m.message.data) === 'still here'), 'the message after the refused takeover');
    const kicked = new Promise<void>((resolve) => boiler.client.once('close', () => resolve()));
    const again = await device('boiler', { room, clientId });
    await kicked;
    await again.client.publishAsync(room, 'reconnected', { qos: 1 });
    await until(() => frank.groupMessages.find((m) => text(m.message.data) === 'reconnected'), 'the message after the takeover');
  });

  it('refuses rooms the chat keeps to itself, with the CONNACK code of the version', async () => {
    const url = await negotiate('sneaky', 'mqtt');
    expect(await connackRefusal(url, version, { clientId: 'sneaky1', username: '__presence' })).toBe(v5 ? 0x87 : 5);
    expect(await connackRefusal(url, version, { clientId: 'sneaky2', username: '$webpubsub/server/messages' })).toBe(v5 ? 0x87 : 5);
    expect(await connackRefusal(url, version, { clientId: 'sneaky3', username: 'a/#' })).toBe(v5 ? 0x86 : 4);
  });

  it('a device is in the presence: web users see it join and leave, and it gets the roster', async () => {
    const [erinId, lampId] = [unique('erin'), unique('lamp')];
    const erin = await webUser(erinId);
    const lamp = await device(lampId);
    const roster = await lamp.next((m) => m.topic === '$webpubsub/server/messages' && m.payload.toString().includes('"roster"'));
    expect((JSON.parse(roster.payload.toString()) as { users: string[] }).users).toEqual(expect.arrayContaining([erinId, lampId]));
    await until(
      () => erin.server.find((d) => (d as { system?: string; userId?: string }).system === 'joined' && (d as { userId?: string }).userId === lampId),
      'joined',
    );
    await lamp.client.endAsync();
    await until(
      () => erin.server.find((d) => (d as { system?: string; userId?: string }).system === 'left' && (d as { userId?: string }).userId === lampId),
      'left',
    );
    // Messages to everyone reach devices on the server-messages topic.
    const again = await device(unique('lamp'));
    await erin.client.sendEvent('message', { text: 'lights out' }, 'json');
    const all = await again.next((m) => m.topic === '$webpubsub/server/messages' && m.payload.toString().includes('lights out'));
    expect(JSON.parse(all.payload.toString())).toMatchObject({ text: 'lights out' });
  });
});
