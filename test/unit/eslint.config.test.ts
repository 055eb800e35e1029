/**
 * The emulator must not import the app (eslint.config.mjs, no-restricted-imports): checked against the
 * real config, on sources written here, so the rule is proven to bite whatever the tree holds today.
 */
import { Linter } from 'eslint';
import { join } from 'node:path';

// eslint.config.mjs is untyped JavaScript; jest's esbuild transform loads it as CommonJS.
const config = (require('../../eslint.config.mjs') as { default: Linter.Config[] }).default;

const root = join(__dirname, '..', '..');
const linter = new Linter({ cwd: root });
// Type-aware rules need the file on disk in the TS project; this test is about the import rule alone.
const withoutTypes: Linter.Config[] = [
  ...config,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
];

async function restrictedImports(file: string, source: string): Promise<string[]> {
  const messages = linter.verify(source, withoutTypes, join(root, file));
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('; '));
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the emulator import boundary', () => {
  it.each([
    ['emulator/rest/new-file.ts', "import { BadRequestError } from '../../shared/errors';"],
    ['emulator/server-new.ts', "import { routes } from '../functions/routes';"],
    ['emulator/upstream/deep/x.ts', "import type { AppSettings } from '../../../local-host/app-settings';"],
    ['emulator/client/x.ts', "export { toChatEntry } from '../../web/chat-entries';"],
    ['emulator/x.ts', "import '../shared';"],
  ])('rejects %s importing the app: %s', async (file, source) => {
    expect(await restrictedImports(file, `${source}\nexport {};\n`)).toEqual([expect.stringMatching(/emulator\/ must not import the app/)]);
  });

  it.each([
    ['emulator/rest/new-file.ts', "import { log } from '../log';"],
    ['emulator/rest/new-file.ts', "import { WebSocket } from 'ws';"],
    ['shared/new-file.ts', "import { signConnectionId } from './signature';"],
    ['scripts/new-file.ts', "import { routes } from '../functions/routes';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await restrictedImports(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
