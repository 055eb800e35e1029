/**
 * The layout rules a newcomer relies on to find things:
 * - a unit test mirrors its source: `test/unit/<path>.test.ts` tests `<path>.<ext>` (or the folder `<path>`);
 *   a module with many tests may get a folder named after it (`test/unit/functions/event-handler/connect.test.ts`
 *   tests `functions/event-handler.ts`);
 * - `shared/` holds subfolders by concern, no loose files (an `index.ts` would be allowed);
 * - `test/` has one place per kind: `unit/` (mirrors the sources), `e2e/` (real processes and sockets),
 *   `properties/` (property tests across modules), `support/` (every helper), `fixtures/` (sample apps);
 *   helpers live only in `test/support/`, so `unit/`, `e2e/` and `properties/` hold only `*.test.ts`.
 * The rules are pure functions over a file list, checked on a made-up tree (so they can fail) and on this one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/** Unit tests that test something other than one source file or folder, with the reason. */
const MIRROR_EXCEPTIONS: Readonly<Record<string, string>> = {
  'test/unit/layout.test.ts': 'checks the repository layout itself',
  'test/unit/smoke.test.ts': 'checks that jest loads the ESM-only jose package',
  'test/unit/infra/azd.test.ts': 'the azd deployment contract spans azure.yaml, infra/main.parameters.json and infra/hooks',
  'test/unit/infra/parse.test.ts': 'every Bicep file under infra/ parses',
  'test/unit/infra/structure.test.ts': 'resource types, module contracts and settings across all Bicep files',
  'test/unit/support/chromium-executable.test.ts': "the browser test's Chromium lookup, a helper in test/support (not a source folder)",
  'test/unit/docs/citations.test.ts': 'the documents that code cites, and the links and paths in README.md and docs/',
};

const TEST_FOLDERS = ['unit', 'e2e', 'properties', 'support', 'fixtures'];

/** Repo-relative POSIX paths of every file under `dir`, skipping generated and installed trees. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(repoRoot, full).split(sep).join('/'));
    }
  };
  walk(join(repoRoot, dir));
  return out;
}

/** Unit test files that mirror no source file or folder (exceptions aside). */
function unmirroredUnitTests(files: readonly string[], exceptions: Readonly<Record<string, string>>): string[] {
  const paths = new Set(files);
  const folders = new Set(
    files.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  /** `a/b` names a source file `a/b.<any extension>` or a folder `a/b` outside test/. */
  const isSource = (stem: string) =>
    !stem.startsWith('test/') && (folders.has(stem) || [...paths].some((p) => p.startsWith(stem + '.') && !p.slice(stem.length + 1).includes('/')));
  return files
    .filter((f) => f.startsWith('test/unit/') && f.endsWith('.test.ts') && !(f in exceptions))
    .filter((f) => {
      const stem = f.slice('test/unit/'.length, -'.test.ts'.length);
      return !isSource(stem) && !(stem.includes('/') && isSource(posix.dirname(stem)) && !folders.has(posix.dirname(stem)));
    });
}

/** Files directly in shared/ (only an index is allowed there). */
function looseSharedFiles(files: readonly string[]): string[] {
  return files.filter((f) => /^shared\/[^/]+$/.test(f) && f !== 'shared/index.ts');
}

/** Files in test/ outside the known folders, and helpers outside test/support/. */
function misplacedTestFiles(files: readonly string[]): string[] {
  return files
    .filter((f) => f.startsWith('test/'))
    .filter((f) => {
      const folder = f.split('/')[1];
      if (!TEST_FOLDERS.includes(folder ?? '') || f.split('/').length < 3) return true;
      return (folder === 'unit' || folder === 'e2e' || folder === 'properties') && !f.endsWith('.test.ts');
    });
}

describe('layout rules on a made-up tree', () => {
  const tree = [
    'shared/auth/roles.ts',
    'shared/stray.ts',
    'functions/event-handler.ts',
    'infra/main.bicep',
    'test/unit/shared/auth/roles.test.ts',
    'test/unit/shared/roles.test.ts',
    'test/unit/functions/event-handler/connect.test.ts',
    'test/unit/shared/auth/nope/x.test.ts',
    'test/unit/infra/main.test.ts',
    'test/unit/shared/auth.test.ts',
    'test/unit/helpers.ts',
    'test/handlers/x.test.ts',
    'test/README.md',
    'test/support/stack.ts',
  ];

  it('finds unit tests that mirror nothing', () => {
    expect(unmirroredUnitTests(tree, {})).toEqual(['test/unit/shared/roles.test.ts', 'test/unit/shared/auth/nope/x.test.ts']);
    expect(unmirroredUnitTests(tree, { 'test/unit/shared/roles.test.ts': 'why' })).toEqual(['test/unit/shared/auth/nope/x.test.ts']);
  });

  it('finds loose files in shared/', () => {
    expect(looseSharedFiles([...tree, 'shared/index.ts'])).toEqual(['shared/stray.ts']);
  });

  it('finds test files outside the known folders and helpers outside test/support', () => {
    expect(misplacedTestFiles(tree)).toEqual(['test/unit/helpers.ts', 'test/handlers/x.test.ts', 'test/README.md']);
  });
});

describe('layout rules on this repository', () => {
  const files = ['functions', 'shared', 'emulator', 'local-host', 'web', 'scripts', 'bench', 'infra', 'test'].flatMap(listFiles);
  files.push(...readdirSync(repoRoot).filter((n) => statSync(join(repoRoot, n)).isFile()));

  it('every unit test mirrors a source file or folder', () => {
    expect(unmirroredUnitTests(files, MIRROR_EXCEPTIONS)).toEqual([]);
  });

  it('every listed exception still exists', () => {
    expect(Object.keys(MIRROR_EXCEPTIONS).filter((f) => !files.includes(f))).toEqual([]);
  });

  it('shared/ has no loose files', () => {
    expect(looseSharedFiles(files)).toEqual([]);
  });

  it('test/ keeps helpers in test/support and nothing outside its known folders', () => {
    expect(misplacedTestFiles(files)).toEqual([]);
  });
});
