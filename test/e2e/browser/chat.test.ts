/**
 * The chat page in Chromium against `npm start`'s stack: two people, messages both ways, a room,
 * and a screenshot (test-output/chat.png) to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchTestChromium } from '../../support/chromium-executable';
import { repoRoot, startStack, type RunningStack } from '../../support/stack';

describe('chat page in a browser', () => {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let alice: Page;
  let bob: Page;

  async function signIn(page: Page, url: string, name: string): Promise<void> {
    await page.goto(url);
    expect(await page.locator('#chat').isVisible()).toBe(false);
    await page.fill('#name', name);
    await page.press('#name', 'Enter');
    await page.locator('#state[data-state="connected"]').waitFor();
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  }

  function message(page: Page, text: string) {
    return page.locator('#messages li.message').filter({ has: page.locator('.text', { hasText: text }) });
  }

  beforeAll(async () => {
    // Throws (failing the suite) when no browser can be found: this test never skips.
    browser = await launchTestChromium();
    stack = await startStack();
    // Separate contexts: two people, two localStorages.
    alice = await (await browser.newContext({ viewport: { width: 1000, height: 640 } })).newPage();
    bob = await (await browser.newContext({ viewport: { width: 390, height: 760 } })).newPage();
    // The first run unpacks the packaged Chromium (a few seconds; longer on a busy machine).
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    const exit = await stack?.stop('SIGINT');
    if (exit) expect(exit.code).toBe(0);
  });

  it('lets two people sign in, at / and at /api/chat/, and see each other online', async () => {
    await signIn(alice, `${stack!.functionsBase}/`, 'alice');
    await signIn(bob, `${stack!.functionsBase}/api/chat/`, 'bob');
    await alice.locator('#online li', { hasText: 'bob' }).waitFor();
    await alice.locator('#messages li.system', { hasText: 'bob joined the chat' }).waitFor();
    // Bob joined after alice, so he learns about her from the hub's roster message.
    await bob.locator('#online li', { hasText: 'alice' }).waitFor();
    expect(await bob.locator('#online li.me').textContent()).toBe('bob (you)');
  });

  it("shows each person the other's messages, and marks one's own", async () => {
    await send(alice, 'Hi Bob! <b>not bold</b>');
    await message(bob, 'Hi Bob!').waitFor();
    expect(await message(bob, 'Hi Bob!').locator('.from').textContent()).toBe('alice');
    // User text is shown as text, never as markup.
    expect(await message(bob, 'Hi Bob!').locator('.text b').count()).toBe(0);

    await send(bob, 'Hello Alice');
    await message(alice, 'Hello Alice').waitFor();
    await message(alice, 'Hi Bob!').and(alice.locator('.mine')).waitFor();
    expect(await message(alice, 'Hello Alice').getAttribute('class')).toBe('message');
  });

  it('delivers a room message to the people in the room', async () => {
    for (const page of [alice, bob]) {
      await page.fill('#room', 'ops');
      await page.press('#room', 'Enter');
      await page.locator('#rooms li', { hasText: '#ops' }).waitFor();
    }
    expect(await alice.locator('#target').inputValue()).toBe('ops');
    await send(alice, 'Deploy at noon');
    const inRoom = message(bob, 'Deploy at noon');
    await inRoom.waitFor();
    expect(await inRoom.locator('.room').textContent()).toBe('#ops');
  });

  it('explains a failed negotiate and lets the person try again', async () => {
    const carol = await browser!.newPage();
    await carol.route('**/api/negotiate?*', (route) => route.fulfill({ status: 503, body: 'down' }));
    await carol.goto(`${stack!.functionsBase}/`);
    await carol.fill('#name', 'carol');
    await carol.press('#name', 'Enter');
    await carol.locator('#join-error', { hasText: 'Could not connect: negotiate answered 503' }).waitFor();
    expect(await carol.locator('#join-form').isVisible()).toBe(true);
    expect(await carol.locator('#chat').isVisible()).toBe(false);
    await carol.close();
  });

  it('shows a person as left as soon as their tab closes, not after the reconnect window', async () => {
    const dave = await (await browser!.newContext()).newPage();
    await signIn(dave, `${stack!.functionsBase}/`, 'dave');
    await alice.locator('#online li', { hasText: 'dave' }).waitFor();
    await dave.close();
    // The service keeps a dropped reliable connection recoverable for 30 s; a closed tab must not look like a drop.
    await alice.locator('#messages li.system', { hasText: 'dave left the chat' }).waitFor({ timeout: 15_000 });
    await alice.locator('#online li', { hasText: 'dave' }).waitFor({ state: 'detached' });
  });

  it('still recovers a dropped connection without anyone seeing the person leave', async () => {
    const erin = await (await browser!.newContext()).newPage();
    // Keeps the page's sockets reachable, to cut one the way a network drop does (a code other than 1000).
    await erin.addInitScript(() => {
      const sockets: WebSocket[] = [];
      (window as unknown as { sockets: WebSocket[] }).sockets = sockets;
      window.WebSocket = class extends window.WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      };
    });
    await signIn(erin, `${stack!.functionsBase}/`, 'erin');
    await alice.locator('#online li', { hasText: 'erin' }).waitFor();
    await erin.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets[0]!.close(4000, 'test: network drop'));
    // The client opens a second socket to recover the same connection.
    await erin.waitForFunction(() => (window as unknown as { sockets: WebSocket[] }).sockets.some((ws, i) => i > 0 && ws.readyState === WebSocket.OPEN));
    await send(erin, 'Back after the drop');
    await message(alice, 'Back after the drop').waitFor();
    expect(await alice.locator('#messages li.system', { hasText: 'erin left the chat' }).count()).toBe(0);
    expect(await erin.locator('#messages li.system', { hasText: 'Connection lost' }).count()).toBe(0);
    await erin.close();
    await alice.locator('#messages li.system', { hasText: 'erin left the chat' }).waitFor({ timeout: 15_000 });
  });

  it('writes a screenshot of the conversation to test-output/chat.png', async () => {
    await send(bob, 'Sounds good – see you there');
    await message(alice, 'Sounds good').waitFor();
    const dir = join(repoRoot, 'test-output');
    mkdirSync(dir, { recursive: true });
    await alice.screenshot({ path: join(dir, 'chat.png') });
    await bob.screenshot({ path: join(dir, 'chat-phone.png') });
    expect(existsSync(join(dir, 'chat.png'))).toBe(true);
  });
});
