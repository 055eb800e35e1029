import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubClient, WebPubSubJsonProtocol, type OnGroupDataMessageArgs } from '@azure/web-pubsub-client';
import { WebPubSubEventHandler, type MqttConnectRequest, type MqttDisconnectedRequest } from '@azure/web-pubsub-express';
import express from 'express';
import type { IClientOptions } from 'mqtt';
import { generate, parser as createParser, type IPublishPacket, type Packet } from 'mqtt-packet';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, serviceClient, start } from '../../support/emulator-harness';
import { connackRefusal as refusal, connectDevice as connect, endDevices, subscribeCodes } from '../../support/mqtt-device';

/** MQTT.js (3.1.1 and 5.0) against the emulator's MQTT endpoint, with the official SDKs on the other side. */

const ROLES = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];

async function mqttUrl(emulator: RunningEmulator, hub: string, options: { userId?: string; roles?: string[] } = {}): Promise<string> {
  return (await serviceClient(emulator, hub).getClientAccessToken({ ...options, clientProtocol: 'mqtt' })).url;
}

afterEach(endDevices);

describe.each([4, 5] as const)('MQTT %s against the emulator', (version) => {
  const v5 = version === 5;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('connects, subscribes and publishes through a topic = group, QoS 1 delivered at QoS 1', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const a = await connect(url, version, { clientId: 'sensorA' });
    const b = await connect(url, version, { clientId: 'sensorB' });
    const granted = await b.client.subscribeAsync('room1', { qos: 1 });
    expect(granted[0]!.qos).toBe(1);
    await a.client.publishAsync('room1', 'hello', { qos: 1 });
    const got = await b.next();
    expect(got).toMatchObject({ topic: 'room1', qos: 1 });
    expect(got.payload.toString()).toBe('hello');
    // The client id is the connection id.
    expect(await serviceClient(emulator, 'devices').connectionExists('sensorA')).toBe(true);
  });

  it('downgrades to the subscription QoS and delivers QoS 0 publishes at QoS 0', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const a = await connect(url, version);
    const b = await connect(url, version);
    await b.client.subscribeAsync('q0', { qos: 0 });
    await a.client.publishAsync('q0', 'one', { qos: 1 });
    expect((await b.next()).qos).toBe(0);
    await b.client.subscribeAsync('q1', { qos: 1 });
    await a.client.publishAsync('q1', 'two', { qos: 0 });
    expect((await b.next()).qos).toBe(0);
  });

  it('refuses a subscribe and a publish without the role, with the SUBACK and PUBACK codes', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ['webpubsub.joinLeaveGroup.allowed', 'webpubsub.sendToGroup.allowed'] });
    const { client } = await connect(url, version);
    expect(await subscribeCodes(client, ['allowed', 'secret'])).toEqual([1, v5 ? 0x87 : 0x80]);
    expect(await subscribeCodes(client, 'a/+')).toEqual([v5 ? 0xa2 : 0x80]);
    if (v5) expect(await subscribeCodes(client, '$share/g/t')).toEqual([0x9e]);
    if (v5) {
      await expect(client.publishAsync('secret', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    } else {
      // 3.1.1 has no PUBACK codes: the publish is acknowledged and dropped.
      await client.publishAsync('secret', 'x', { qos: 1 });
    }
    expect(await serviceClient(emulator, 'devices').groupExists('secret')).toBe(false);
  });

  it('refuses client ids outside the documented rules with the CONNACK code', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    expect(await refusal(url, version, { clientId: 'has_underscore' })).toBe(v5 ? 0x85 : 2);
    expect(await refusal(url, version, { clientId: 'x'.repeat(129) })).toBe(v5 ? 0x85 : 2);
  });

  it('delivers REST sends to all, to a user and to a connection on $webpubsub/server/messages', async () => {
    const url = await mqttUrl(emulator, 'devices', { userId: 'dev1' });
    const { next } = await connect(url, version, { clientId: 'dev1conn' });
    const service = serviceClient(emulator, 'devices');
    await service.sendToAll('to all', { contentType: 'text/plain' });
    const all = await next();
    expect(all.topic).toBe('$webpubsub/server/messages');
    expect(all.payload.toString()).toBe('to all');
    expect(all.qos).toBe(1);
    if (v5) expect(all.contentType).toBe('text/plain');
    await service.sendToUser('dev1', { hello: 'user' });
    const user = await next();
    expect(JSON.parse(user.payload.toString())).toEqual({ hello: 'user' });
    if (v5) expect(user.contentType).toBe('application/json');
    await service.sendToConnection('dev1conn', 'to the connection', { contentType: 'text/plain' });
    expect((await next()).payload.toString()).toBe('to the connection');
  });

  it('REST acts on MQTT connections: adding to a group subscribes, a permission grant allows, closing disconnects', async () => {
    const url = await mqttUrl(emulator, 'devices');
    const { client, next } = await connect(url, version, { clientId: 'restTarget' });
    const service = serviceClient(emulator, 'devices');
    await service.group('alerts').addConnection('restTarget');
    await service.group('alerts').sendToAll('fire', { contentType: 'text/plain' });
    expect(await next()).toMatchObject({ topic: 'alerts' });
    await service.grantPermission('restTarget', 'sendToGroup', { targetName: 'alerts' });
    await client.publishAsync('alerts', 'echo', { qos: 1 });
    expect((await next()).payload.toString()).toBe('echo');
    const disconnected = new Promise<number | undefined>((resolve) => {
      client.on('disconnect', (p) => resolve(p.reasonCode));
      client.on('close', () => resolve(undefined));
    });
    await service.closeConnection('restTarget', { reason: 'maintenance' });
    const code = await disconnected;
    if (v5) expect(code).toBe(0x98);
    expect(await service.connectionExists('restTarget')).toBe(false);
  });

  it('exchanges messages with JSON WebSocket clients both ways', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const device = await connect(url, version);
    await device.client.subscribeAsync('mixed', { qos: 1 });
    const web = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'devices', { roles: ROLES }) },
      { protocol: WebPubSubJsonProtocol(), keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0 },
    );
    const webInbox: OnGroupDataMessageArgs[] = [];
    const webGot = new Promise<void>((resolve) =>
      web.on('group-message', (m) => {
        webInbox.push(m);
        resolve();
      }),
    );
    try {
      await web.start();
      await web.joinGroup('mixed');
      await web.sendToGroup('mixed', { t: 21.5 }, 'json', { noEcho: true });
      const fromWeb = await device.next();
      expect(JSON.parse(fromWeb.payload.toString())).toEqual({ t: 21.5 });
      if (v5) expect(fromWeb.contentType).toBe('application/json');
      await device.client.publishAsync('mixed', 'from the device', { qos: 1, ...(v5 ? { properties: { contentType: 'text/plain' } } : {}) });
      await webGot;
      const m = webInbox[0]!.message;
      // 5.0 text/plain → text; 3.1.1 has no content type → binary.
      if (v5) {
        expect(m.dataType).toBe('text');
        expect(m.data).toBe('from the device');
      } else {
        expect(m.dataType).toBe('binary');
        expect(Buffer.from(m.data as ArrayBuffer).toString()).toBe('from the device');
      }
    } finally {
      web.stop();
    }
  });

  it('publishes the will when the network connection drops, not after a normal DISCONNECT', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const watcher = await connect(url, version);
    await watcher.client.subscribeAsync('status', { qos: 1 });
    const dying = await connect(url, version, { will: { topic: 'status', payload: Buffer.from('gone'), qos: 1, retain: false } });
    (dying.client.stream as unknown as { destroy(): void }).destroy();
    expect((await watcher.next()).payload.toString()).toBe('gone');
    const polite = await connect(url, version, { will: { topic: 'status', payload: Buffer.from('polite gone'), qos: 1, retain: false } });
    await polite.client.endAsync();
    await watcher.client.publishAsync('status', 'marker', { qos: 1 });
    expect((await watcher.next()).payload.toString()).toBe('marker');
  });

  it('lets a second connection with the same client id take the session over (5.0: DISCONNECT 0x8E)', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const first = await connect(url, version, { clientId: `twin${version}` });
    const kicked = new Promise<number | undefined>((resolve) => {
      first.client.on('disconnect', (p) => resolve(p.reasonCode));
      first.client.on('close', () => resolve(undefined));
    });
    const second = await connect(url, version, { clientId: `twin${version}` });
    const code = await kicked;
    if (v5) expect(code).toBe(0x8e);
    await second.client.subscribeAsync('twins', { qos: 1 });
    await serviceClient(emulator, 'devices').sendToConnection(`twin${version}`, 'for the new one', { contentType: 'text/plain' });
    expect((await second.next()).payload.toString()).toBe('for the new one');
  });

  it('keeps a persistent session across a reconnect and delivers what arrived meanwhile', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const options: IClientOptions = { clientId: `persist${version}`, clean: false, ...(v5 ? { properties: { sessionExpiryInterval: 30 } } : {}) };
    const first = await connect(url, version, options);
    await first.client.subscribeAsync('kept', { qos: 1 });
    await first.client.endAsync(true);
    await serviceClient(emulator, 'devices').group('kept').sendToAll('while away', { contentType: 'text/plain' });
    const second = await connect(url, version, options);
    expect(second.client.connected).toBe(true);
    expect((await second.next()).payload.toString()).toBe('while away');
  });
});

describe("MQTT 5.0 flow control: the client's Receive Maximum", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('holds QoS 1 publishes beyond the window until PUBACK, and lets QoS 0 through', async () => {
    // A raw client (ws + mqtt-packet): MQTT.js reads no further packet while one is unacknowledged.
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const ws = new WebSocket(url, 'mqtt');
    const parser = createParser({ protocolVersion: 5 });
    const packets: Packet[] = [];
    let wake: () => void = () => {};
    parser.on('packet', (p: Packet) => {
      packets.push(p);
      wake();
    });
    ws.on('message', (data: Buffer) => parser.parse(data));
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (pred() ? resolve() : (wake = check));
        check();
      });
    const send = (packet: Packet) => ws.send(generate(packet, { protocolVersion: 5 }));
    const received = () => packets.filter((p): p is IPublishPacket => p.cmd === 'publish');
    try {
      await new Promise((resolve) => ws.once('open', resolve));
      send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'slowReader', clean: true, keepalive: 0, properties: { receiveMaximum: 2 } });
      await until(() => packets.some((p) => p.cmd === 'connack'));
      send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'window', qos: 1 }] });
      await until(() => packets.some((p) => p.cmd === 'suback'));
      const publisher = await connect(url, 5);
      const group = serviceClient(emulator, 'devices').group('window');
      for (let i = 0; i < 5; i++) await group.sendToAll(`m${i}`, { contentType: 'text/plain' });
      // QoS 0 is not counted: once it is here, everything sent before it that the window allowed is too.
      await publisher.client.publishAsync('window', 'marker', { qos: 0 });
      await until(() => received().some((p) => p.payload.toString() === 'marker'));
      const qos1 = () => received().filter((p) => p.qos === 1);
      const texts = () => qos1().map((p) => p.payload.toString());
      expect(texts()).toEqual(['m0', 'm1']);
      send({ cmd: 'puback', messageId: qos1()[0]!.messageId!, reasonCode: 0 });
      await until(() => qos1().length === 3);
      expect(texts()).toEqual(['m0', 'm1', 'm2']);
      for (const p of qos1().slice(1)) send({ cmd: 'puback', messageId: p.messageId!, reasonCode: 0 });
      await until(() => qos1().length === 5);
      expect(texts()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    } finally {
      ws.terminate();
    }
  });
});

describe('MQTT 5.0 Message Expiry Interval', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('passes the remaining interval on, and drops what expired while the receiver was away', async () => {
    const url = await mqttUrl(emulator, 'devices', { roles: ROLES });
    const options: IClientOptions = { clientId: 'expiryReader', clean: false, properties: { sessionExpiryInterval: 30 } };
    const reader = await connect(url, 5, options);
    await reader.client.subscribeAsync('expiry', { qos: 1 });
    const publisher = await connect(url, 5);
    await publisher.client.publishAsync('expiry', 'online', { qos: 1, properties: { messageExpiryInterval: 60 } });
    const online = await reader.next();
    expect(online.payload.toString()).toBe('online');
    await reader.client.endAsync(true);
    await publisher.client.publishAsync('expiry', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await publisher.client.publishAsync('expiry', 'long', { qos: 1, properties: { messageExpiryInterval: 60 } });
    // Time has to pass for 'short' to expire: this waits for the clock, not for another process.
    await new Promise((r) => setTimeout(r, 1100));
    const back = await connect(url, 5, options);
    await serviceClient(emulator, 'devices').group('expiry').sendToAll('marker', { contentType: 'text/plain' });
    await back.next((m) => m.payload.toString() === 'marker');
    expect(back.inbox.map((m) => m.payload.toString())).toEqual(['long']);
    expect(back.inbox[0]!.messageExpiryInterval).toBeGreaterThanOrEqual(58);
    expect(back.inbox[0]!.messageExpiryInterval).toBeLessThanOrEqual(60);
  });
});

describe('MQTT upstream events through @azure/web-pubsub-express 1.1.0', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  const connects: MqttConnectRequest[] = [];
  const connected: string[] = [];
  const disconnects: MqttDisconnectedRequest[] = [];
  let notify = () => {};

  beforeAll(async () => {
    const handler = new WebPubSubEventHandler('iot', {
      handleConnect: (req, res) => {
        const r = req as MqttConnectRequest;
        connects.push(r);
        if (r.mqtt.username === 'blocked') return res.failWith({ mqtt: { code: r.mqtt.protocolVersion === 5 ? 0x8a : 5, reason: 'banned device' } });
        if (r.mqtt.username === 'nope') return res.fail(401, 'no');
        res.success({
          userId: `device-${r.mqtt.username ?? 'anon'}`,
          roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'],
          mqtt: { userProperties: [{ name: 'welcome', value: 'yes' }] },
        } as never);
      },
      onConnected: (req) => {
        connected.push(req.context.userId ?? '');
        notify();
      },
      onDisconnected: (req) => {
        disconnects.push(req as MqttDisconnectedRequest);
        notify();
      },
    });
    const app = express();
    app.use(handler.getMiddleware());
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator = await start({ hubs: { iot: { eventHandlers: [{ urlTemplate: `${base}/api/webpubsub/hubs/{hub}/` }] } } });
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      notify = () => {
        if (pred()) resolve();
      };
      notify();
    });

  it('sends connect with the MQTT properties, passes the reply user properties to CONNACK, then connected and disconnected', async () => {
    const url = await mqttUrl(emulator, 'iot');
    const { client } = await connect(url, 5, {
      clientId: 'meter1',
      username: 'meter',
      password: Buffer.from('s3cret'),
      properties: { userProperties: { site: 'north' } },
    });
    const req = connects.at(-1)!;
    expect(req.context.clientProtocol).toBe('mqtt');
    expect(req.context.connectionId).toBe('meter1');
    expect(req.context.mqtt?.physicalConnectionId).toEqual(expect.any(String));
    expect(req.mqtt).toMatchObject({ protocolVersion: 5, username: 'meter', userProperties: [{ name: 'site', value: 'north' }] });
    expect(Buffer.from(req.mqtt.password!, 'base64').toString()).toBe('s3cret');
    await until(() => connected.includes('device-meter'));
    await client.publishAsync('anything', 'ok', { qos: 1 });
    await client.endAsync(false, { reasonCode: 0, properties: { userProperties: { bye: 'now' } } });
    await until(() => disconnects.some((d) => d.context.connectionId === 'meter1'));
    const d = disconnects.find((x) => x.context.connectionId === 'meter1')!;
    expect(d.mqtt).toMatchObject({ initiatedByClient: true, disconnectPacket: { code: 0, userProperties: [{ name: 'bye', value: 'now' }] } });
  });

  it('gives the CONNACK code a failed connect event names, or the one for its HTTP status', async () => {
    const url = await mqttUrl(emulator, 'iot');
    expect(await refusal(url, 5, { clientId: 'b1', username: 'blocked' })).toBe(0x8a);
    expect(await refusal(url, 4, { clientId: 'b2', username: 'blocked' })).toBe(5);
    expect(await refusal(url, 5, { clientId: 'b3', username: 'nope' })).toBe(0x87);
    expect(await refusal(url, 4, { clientId: 'b4', username: 'nope' })).toBe(5);
  });
});
