import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** MQTT.js clients for end-to-end tests: connect and collect messages, read SUBACK and CONNACK codes. */

export interface Received {
  topic: string;
  payload: Buffer;
  qos: number;
  contentType?: string;
  /** MQTT 5.0: what is left of the sender's Message Expiry Interval, in seconds. */
  messageExpiryInterval?: number;
}

export interface TestDevice {
  readonly client: MqttClient;
  readonly inbox: Received[];
  /** The first message (matching `pred`) not taken yet, now or when it arrives. */
  next(pred?: (m: Received) => boolean): Promise<Received>;
}

const opened: MqttClient[] = [];

/** Ends every client `connectDevice` opened (call in afterEach or afterAll). */
export async function endDevices(): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.endAsync(true).catch(() => {})));
}

export async function connectDevice(url: string, version: 4 | 5, options: IClientOptions = {}): Promise<TestDevice> {
  // The handler is attached before CONNACK: a resumed session's messages follow CONNACK at once.
  const client = mqtt.connect(url, {
    protocolVersion: version,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    clientId: `c${Math.random().toString(36).slice(2)}`,
    ...options,
  });
  opened.push(client);
  const inbox: Received[] = [];
  const waiters: (() => void)[] = [];
  client.on('message', (topic, payload, packet) => {
    const { contentType, messageExpiryInterval } = packet.properties ?? {};
    inbox.push({
      topic,
      payload,
      qos: packet.qos,
      ...(contentType ? { contentType } : {}),
      ...(messageExpiryInterval !== undefined ? { messageExpiryInterval } : {}),
    });
    for (const w of waiters.splice(0)) w();
  });
  const next = (pred: (m: Received) => boolean = () => true) =>
    new Promise<Received>((resolve) => {
      const check = () => {
        const i = inbox.findIndex(pred);
        if (i >= 0) resolve(inbox.splice(i, 1)[0]!);
        else waiters.push(check);
      };
      check();
    });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return { client, inbox, next };
}

/** The granted QoS or failure code per topic (MQTT.js rejects a SUBACK that holds a failure code). */
export async function subscribeCodes(client: MqttClient, topics: string | string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics, { qos: 1 })).map((g) => g.qos);
  } catch (e) {
    return (e as { packet: { granted: number[] } }).packet.granted;
  }
}

/** The CONNACK code of a refused MQTT connection. */
export function connackRefusal(url: string, version: 4 | 5, options: IClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { protocolVersion: version, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.on('error', (e: Error & { code?: number }) => {
      client.end(true);
      if (typeof e.code === 'number') resolve(e.code);
      else reject(e);
    });
    client.on('connect', () => {
      client.end(true);
      reject(new Error('the connection was accepted'));
    });
  });
}
