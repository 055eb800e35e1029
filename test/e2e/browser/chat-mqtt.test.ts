/**
 * The chat page in Chromium and an MQTT device (MQTT.js, 3.1.1) in the same room, against `npm start`'s
 * stack: the device's URL comes from `/api/negotiate?protocol=mqtt`.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import mqtt, { type MqttClient } from 'mqtt';
import { startStack, type RunningStack } from '../../support/stack';

const chromiumPath = '/usr/bin/chromium';

describe('chat page and an MQTT device', () => {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let device: MqttClient | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`Chromium is needed for the browser test but ${chromiumPath} does not exist. Install it: sudo apt-get install -y chromium`);
    }
    stack = await startStack();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await (await browser.newContext({ viewport: { width: 1000, height: 640 } })).newPage();
  });

  afterAll(async () => {
    await device?.endAsync(true).catch(() => {});
    await browser?.close();
    await stack?.stop('SIGKILL');
  });

  it('shows what the device publishes to the room, and the device gets what the person says there', async () => {
    await page.goto(`${stack!.functionsBase}/`);
    await page.fill('#name', 'dana');
    await page.press('#name', 'Enter');
    await page.locator('#state[data-state="connected"]').waitFor();
    await page.fill('#room', 'lab');
    await page.press('#room', 'Enter');
    await page.locator('#rooms li', { hasText: '#lab' }).waitFor();

    const res = await fetch(`${stack!.functionsBase}/api/negotiate?userId=sensor1&protocol=mqtt`);
    const { url } = (await res.json()) as { url: string };
    const received: string[] = [];
    let wake = () => {};
    device = mqtt.connect(url, { protocolVersion: 4, clientId: 'sensor1', reconnectPeriod: 0 });
    device.on('message', (topic, payload) => {
      if (topic === 'lab') received.push(payload.toString());
      wake();
    });
    await new Promise<void>((resolve, reject) => {
      device!.once('connect', () => resolve());
      device!.once('error', reject);
    });
    await device.subscribeAsync('lab', { qos: 1 });

    // Device → page: a plain-text publish (binary in MQTT 3.1.1) shows as a line from the device's user id.
    await device.publishAsync('lab', 'temperature 21.5 C', { qos: 1 });
    const line = page.locator('#messages li.message').filter({ has: page.locator('.text', { hasText: 'temperature 21.5 C' }) });
    await line.waitFor();
    expect(await line.locator('.from').textContent()).toBe('sensor1');

    // Page → device: the chat hub's room message reaches the topic as JSON.
    const got = new Promise<void>((resolve) => {
      wake = () => received.some((r) => r.includes('open the window')) && resolve();
      wake();
    });
    await page.fill('#text', 'open the window');
    await page.press('#text', 'Enter');
    await got;
    expect(JSON.parse(received.find((r) => r.includes('open the window'))!)).toMatchObject({ from: 'dana', text: 'open the window', group: 'lab' });
  });
});
