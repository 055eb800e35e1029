/**
 * The chat page in Chromium against `npm run start:signalr`: the page learns from the app that it runs
 * over SignalR Service and chats through @microsoft/signalr (negotiate redirect, CORS to the emulator's
 * SignalR port, WebSockets): messages both ways, a room, and a dropped WebSocket that reconnects with
 * the rooms joined again. A Node @microsoft/signalr client takes part in the same chat.
 */
import * as signalR from '@microsoft/signalr';
import type { Browser, Page } from 'playwright-core';
import { launchTestChromium } from '../../support/chromium-executable';
import { nextMessage } from '../../support/signalr-clients';
import { startStack, type RunningStack } from '../../support/stack';

describe('chat page over SignalR Service', () => {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let alice: Page;
  let bob: Page;
  let carol: signalR.HubConnection | undefined;

  async function signIn(page: Page, url: string, name: string): Promise<void> {
    await page.goto(url);
    await page.locator('#service[data-service="signalr"]').waitFor();
    await page.fill('#name', name);
    await page.press('#name', 'Enter');
    await page.locator('#state[data-state="connected"]').waitFor();
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  }

  async function joinRoom(page: Page, room: string): Promise<void> {
    await page.fill('#room', room);
    await page.press('#room', 'Enter');
    await page.locator('#rooms li', { hasText: `#${room}` }).waitFor();
  }

  function message(page: Page, text: string) {
    return page.locator('#messages li.message').filter({ has: page.locator('.text', { hasText: text }) });
  }

  beforeAll(async () => {
    browser = await launchTestChromium();
    stack = await startStack({}, ['--signalr']);
    alice = await (await browser.newContext()).newPage();
    bob = await (await browser.newContext()).newPage();
    // Keeps bob's sockets reachable, to cut one the way a network drop does.
    await bob.addInitScript(() => {
      const sockets: WebSocket[] = [];
      (window as unknown as { sockets: WebSocket[] }).sockets = sockets;
      window.WebSocket = class extends window.WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      };
    });
  }, 60_000);

  afterAll(async () => {
    await carol?.stop();
    await browser?.close();
    const exit = await stack?.stop('SIGINT');
    if (exit) expect(exit.code).toBe(0);
  });

  it('signs two people in, at / and at /api/chat/ (with its CSP), and announces the second to the first', async () => {
    await signIn(alice, `${stack!.functionsBase}/`, 'alice');
    await signIn(bob, `${stack!.functionsBase}/api/chat/`, 'bob');
    expect(await alice.locator('#service').textContent()).toBe('over Azure SignalR Service');
    await alice.locator('#messages li.system', { hasText: 'bob joined the chat' }).waitFor();
    await alice.locator('#online li', { hasText: 'bob' }).waitFor();
    // Bob's page went through SignalR's WebSockets transport to the emulator, not through the app.
    const urls = await bob.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets.map((s) => s.url));
    expect(urls).toEqual([expect.stringMatching(/^ws:\/\/localhost:\d+\/client\/\?hub=chat&id=/)]);
  });

  it('shows each person the other messages, and a Node client sees them too', async () => {
    const hubUrl = `${stack!.functionsBase}/api/signalr?userId=carol`;
    carol = new signalR.HubConnectionBuilder().withUrl(hubUrl).configureLogging(signalR.LogLevel.None).build();
    await carol.start();
    const seenByCarol = nextMessage(carol, 'message');
    await send(alice, 'Hi Bob, over SignalR');
    await message(bob, 'Hi Bob, over SignalR').waitFor();
    expect(await message(bob, 'Hi Bob, over SignalR').locator('.from').textContent()).toBe('alice');
    expect((await seenByCarol)[0]).toMatchObject({ from: 'alice', text: 'Hi Bob, over SignalR' });

    await carol.invoke('message', { text: 'Carol from Node' });
    await message(alice, 'Carol from Node').waitFor();
    await send(bob, 'Hello Alice');
    await message(alice, 'Hello Alice').waitFor();
    await message(alice, 'Hi Bob').and(alice.locator('.mine')).waitFor();
  });

  it('delivers a room message only to the room, with the room announcements', async () => {
    await joinRoom(alice, 'ops');
    await joinRoom(bob, 'ops');
    await alice.locator('#messages li.system', { hasText: 'bob joined #ops' }).waitFor();
    const carolGot: unknown[] = [];
    carol!.on('message', (m: unknown) => carolGot.push(m));
    await send(alice, 'Deploy at noon');
    const inRoom = message(bob, 'Deploy at noon');
    await inRoom.waitFor();
    expect(await inRoom.locator('.room').textContent()).toBe('#ops');
    // Carol is not in the room; a message to everyone after it reaches her, the room message did not.
    const next = nextMessage(carol!, 'message');
    await alice.selectOption('#target', '');
    await send(alice, 'To everyone again');
    expect((await next)[0]).toMatchObject({ text: 'To everyone again' });
    expect(carolGot).not.toContainEqual(expect.objectContaining({ text: 'Deploy at noon' }));
  });

  it('reconnects after a dropped WebSocket and joins its rooms again', async () => {
    await bob.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets[0]!.close(4000, 'test: network drop'));
    await bob.locator('#state[data-state="reconnected"]').waitFor({ timeout: 20_000 });
    // The new connection was put back in #ops by the page: a room message reaches it.
    await alice.selectOption('#target', 'ops');
    await send(alice, 'Still in ops?');
    await message(bob, 'Still in ops?').waitFor();
    expect(await bob.locator('#messages li.error', { hasText: 'Could not rejoin' }).count()).toBe(0);
  });
});
