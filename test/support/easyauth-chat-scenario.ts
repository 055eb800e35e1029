/**
 * The chat page behind App Service Authentication, in Chromium: sign in through /.auth/login/aad,
 * chat, sign out. Shared so that any stack that runs the app with the local host's `--easyauth`
 * (npm start with NegotiateAuth=easyauth, the keyless stack) can run the same scenario.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchTestChromium } from './chromium-executable';
import { repoRoot } from './stack';

export interface EasyAuthStack {
  /** `http(s)://localhost:<PORT>` of the Functions host. */
  readonly functionsBase: string;
  stop(): Promise<void>;
}

export function describeEasyAuthChat(title: string, start: () => Promise<EasyAuthStack>, options: { ignoreHttpsErrors?: boolean } = {}): void {
  describe(title, () => {
    let stack: EasyAuthStack | undefined;
    let browser: Browser | undefined;
    let alice: Page;
    let bob: Page;

    async function signIn(page: Page, url: string, name: string): Promise<void> {
      await page.goto(url);
      // The page learns from negotiate (401 NotAuthenticated) that it must sign people in.
      await page.locator('#sign-in').waitFor();
      expect(await page.locator('#name').isVisible()).toBe(false);
      await page.click('#sign-in');
      await page.waitForURL(/\/\.auth\/login\/aad/);
      await page.fill('input[name="name"]', name);
      await page.press('input[name="name"]', 'Enter');
      // Back on the page it came from, signed in, and connected without typing a name again.
      await page.waitForURL(url);
      await page.locator('#state[data-state="connected"]').waitFor();
    }

    function message(page: Page, text: string) {
      return page.locator('#messages li.message').filter({ has: page.locator('.text', { hasText: text }) });
    }

    beforeAll(async () => {
      // Throws (failing the suite) when no browser can be found: this test never skips.
      browser = await launchTestChromium();
      stack = await start();
      const context = { viewport: { width: 1000, height: 640 }, ...(options.ignoreHttpsErrors ? { ignoreHTTPSErrors: true } : {}) };
      alice = await (await browser.newContext(context)).newPage();
      bob = await (await browser.newContext(context)).newPage();
      // The first run unpacks the packaged Chromium (a few seconds; longer on a busy machine).
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('signs two people in through the sign-in page, at / and at /api/chat/, and shows who is signed in', async () => {
      await signIn(alice, `${stack!.functionsBase}/`, 'alice@contoso.com');
      await signIn(bob, `${stack!.functionsBase}/api/chat/`, 'bob@contoso.com');
      expect(await alice.locator('#me').textContent()).toBe('alice@contoso.com');
      expect(await bob.locator('#me').textContent()).toBe('bob@contoso.com');
      expect(await alice.locator('#sign-out-link').isVisible()).toBe(true);
      expect(await alice.locator('#sign-out').isVisible()).toBe(false);
      expect(await bob.locator('#online li.me').textContent()).toBe('bob@contoso.com (you)');
    });

    it('chats between them', async () => {
      await alice.fill('#text', 'Hello from a signed-in Alice');
      await alice.press('#text', 'Enter');
      await message(bob, 'Hello from a signed-in Alice').waitFor();
      await message(alice, 'Hello from a signed-in Alice').and(alice.locator('.mine')).waitFor();
      expect(await message(alice, 'Hello from a signed-in Alice').locator('.from').textContent()).toBe('alice@contoso.com (you)');
      const dir = join(repoRoot, 'test-output');
      mkdirSync(dir, { recursive: true });
      await bob.screenshot({ path: join(dir, 'chat-easyauth.png') });
    });

    it('signs out through /.auth/logout and asks to sign in again', async () => {
      await alice.click('#sign-out-link');
      await alice.locator('#sign-in').waitFor();
      expect(await alice.locator('#chat').isVisible()).toBe(false);
      expect((await alice.context().cookies()).filter((c) => c.name === 'AppServiceAuthSession')).toEqual([]);
    });
  });
}
