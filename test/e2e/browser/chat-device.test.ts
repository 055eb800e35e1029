/**
 * The chat page in Chromium and MQTT.js devices (5.0 and 3.1.1) in the same room, against `npm start`'s
 * stack (docs/mqtt.md, "Chat with devices"): the device gets its MQTT URL from negotiate, names the room
 * as its MQTT user name, and the two talk both ways. Screenshot: test-output/chat-device.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchTestChromium } from '../../support/chromium-executable';
import { connectDevice, endDevices } from '../../support/mqtt-device';
import { repoRoot, startStack, type RunningStack } from '../../support/stack';

describe('chat page and MQTT devices in a browser', () => {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let alice: Page;

  function message(page: Page, text: string) {
    return page.locator('#messages li.message').filter({ has: page.locator('.text', { hasText: text }) });
  }

  async function mqttUrl(userId: string): Promise<string> {
    const res = await fetch(`${stack!.functionsBase}/api/negotiate?userId=${encodeURIComponent(userId)}&protocol=mqtt`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { url: string }).url;
  }

  beforeAll(async () => {
    // Throws (failing the suite) when no browser can be found: this test never skips.
    browser = await launchTestChromium();
    stack = await startStack();
    alice = await (await browser.newContext({ viewport: { width: 1000, height: 640 } })).newPage();
    await alice.goto(`${stack.functionsBase}/`);
    await alice.fill('#name', 'alice');
    await alice.press('#name', 'Enter');
    await alice.locator('#state[data-state="connected"]').waitFor();
    await alice.fill('#room', 'kitchen');
    await alice.press('#room', 'Enter');
    await alice.locator('#rooms li', { hasText: '#kitchen' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await endDevices();
    await browser?.close();
    const exit = await stack?.stop('SIGINT');
    if (exit) expect(exit.code).toBe(0);
  });

  it.each([
    [5, 'thermostat'],
    [4, 'doorbell'],
  ] as const)('MQTT %s: the device and the person talk both ways in the room', async (version, deviceUser) => {
    const device = await connectDevice(await mqttUrl(deviceUser), version, { clientId: `${deviceUser}1`, username: 'kitchen' });
    // The hub's presence counts the device like any user.
    await alice.locator('#online li', { hasText: deviceUser }).waitFor();

    const reading = `${deviceUser} says 21.5 C`;
    await device.client.publishAsync('kitchen', reading, { qos: 1, ...(version === 5 ? { properties: { contentType: 'text/plain' } } : {}) });
    const line = message(alice, reading);
    await line.waitFor();
    expect(await line.locator('.from').textContent()).toBe(deviceUser);
    expect(await line.locator('.room').textContent()).toBe('#kitchen');

    const answer = `Thanks ${deviceUser}, turn it down`;
    expect(await alice.locator('#target').inputValue()).toBe('kitchen');
    await alice.fill('#text', answer);
    await alice.press('#text', 'Enter');
    const got = await device.next((m) => m.topic === 'kitchen' && m.payload.toString().includes(answer));
    expect(JSON.parse(got.payload.toString())).toMatchObject({ from: 'alice', text: answer, group: 'kitchen' });
    await message(alice, answer).and(alice.locator('.mine')).waitFor();
  });

  it('writes a screenshot to test-output/chat-device.png', async () => {
    const dir = join(repoRoot, 'test-output');
    mkdirSync(dir, { recursive: true });
    await alice.screenshot({ path: join(dir, 'chat-device.png') });
    expect(await message(alice, 'thermostat says').count()).toBe(1);
  });
});
