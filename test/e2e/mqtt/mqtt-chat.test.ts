/**
 * The chat app with an MQTT device: `npm start`'s stack, a web user with the official client and an
 * MQTT.js device whose URL comes from `/api/negotiate?protocol=mqtt`, talking in the same room.
 */
import { WebPubSubClient, WebPubSubJsonProtocol, type OnGroupDataMessageArgs } from '@azure/web-pubsub-client';
import mqtt, { type MqttClient } from 'mqtt';
import { startStack, type RunningStack } from '../../support/stack';

describe('chat between a web user and an MQTT device (npm start)', () => {
  let stack: RunningStack;
  let web: WebPubSubClient | undefined;
  let device: MqttClient | undefined;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    web?.stop();
    await device?.endAsync(true).catch(() => {});
    await stack?.stop('SIGKILL');
  });

  async function negotiate(query: string): Promise<{ url: string; baseUrl: string }> {
    const res = await fetch(`${stack.functionsBase}/api/negotiate?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { url: string; baseUrl: string };
  }

  it('negotiate ?protocol=mqtt issues an MQTT URL, and the device and the web user talk in a room', async () => {
    const forDevice = await negotiate('userId=thermostat&protocol=mqtt');
    expect(forDevice.baseUrl).toMatch(/^ws:\/\/localhost:\d+\/clients\/mqtt\/hubs\/chat$/);

    const fromDevice: Buffer[] = [];
    let wake = () => {};
    device = mqtt.connect(forDevice.url, { protocolVersion: 5, clientId: 'thermostat1', reconnectPeriod: 0 });
    device.on('message', (topic, payload) => {
      if (topic === 'kitchen') {
        fromDevice.push(payload);
        wake();
      }
    });
    await new Promise<void>((resolve, reject) => {
      device!.once('connect', () => resolve());
      device!.once('error', reject);
    });
    await device.subscribeAsync('kitchen', { qos: 1 });

    web = new WebPubSubClient({ getClientAccessUrl: async () => (await negotiate('userId=alice')).url }, { protocol: WebPubSubJsonProtocol(), keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0 });
    const webGot = new Promise<OnGroupDataMessageArgs>((resolve) => web!.on('group-message', (e) => e.message.fromUserId === 'thermostat' && resolve(e)));
    await web.start();
    await web.joinGroup('kitchen');

    // Web → device: the chat hub relays the room message as JSON to the room's topic.
    const deviceGot = new Promise<void>((resolve) => {
      wake = () => fromDevice.length > 0 && resolve();
      wake();
    });
    await web.sendEvent('message', { text: 'what is the temperature?', group: 'kitchen' }, 'json');
    await deviceGot;
    expect(JSON.parse(fromDevice[0]!.toString())).toMatchObject({ from: 'alice', text: 'what is the temperature?', group: 'kitchen' });

    // Device → web: a publish to the room's topic reaches the web user with the device's user id.
    await device.publishAsync('kitchen', '21.5 C', { qos: 1, properties: { contentType: 'text/plain' } });
    const e = await webGot;
    expect(e.message.group).toBe('kitchen');
    expect(e.message.data).toBe('21.5 C');
  });
});
