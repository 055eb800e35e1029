/**
 * The chat page on the keyless stack (`npm run start:keyless`): sign in through App Service
 * Authentication, then chat over wss:// to the TLS emulator with tokens from `:generateToken`, which
 * the app called with its managed-identity token. Chromium is not told about the local CA (its trust
 * store is the OS's), so the page's context accepts the local certificate instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEasyAuthChat } from '../../support/easyauth-chat-scenario';
import { startKeylessStack } from '../../support/keyless-stack';

// Starting the keyless stack creates a CA on first use (three RSA keys) and runs two processes.
jest.setTimeout(90_000);

describeEasyAuthChat(
  'chat page on the keyless stack (npm run start:keyless)',
  async () => {
    const caDir = mkdtempSync(join(tmpdir(), 'keyless-browser-ca-'));
    const stack = await startKeylessStack(caDir);
    return {
      functionsBase: stack.functionsBase,
      stop: async () => {
        await stack.stop();
        rmSync(caDir, { recursive: true, force: true });
      },
    };
  },
  { ignoreHttpsErrors: true },
);
