import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The emulator is an independent implementation of the service: if it imported the app's code, a bug
 * in a rule both sides share (the signature format, a name rule) would pass every test on both sides.
 * This scans every import, export-from, dynamic import and require under emulator/ and fails on any
 * that resolves into the app's folders.
 */
const ROOT = path.resolve(__dirname, '../..');
const EMULATOR = path.join(ROOT, 'emulator');
const FORBIDDEN = ['shared', 'functions', 'local-host', 'web'];

const SPECIFIER = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier in a source text. */
function specifiersOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The forbidden folder a specifier of `file` reaches, or undefined. */
function forbiddenTarget(file: string, specifier: string): string | undefined {
  const resolved = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : path.resolve(ROOT, specifier);
  const relative = path.relative(ROOT, resolved).split(path.sep);
  // Bare package names (ws, node:http) resolve under the root only by accident of path.resolve.
  if (!specifier.startsWith('.') && !FORBIDDEN.some((f) => specifier === f || specifier.startsWith(`${f}/`))) return undefined;
  return FORBIDDEN.find((f) => relative[0] === f);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(?:[cm]?[jt]s|tsx)$/.test(e.name) ? [full] : [];
  });
}

describe('emulator/ imports nothing from the app', () => {
  it('no file under emulator/ imports shared/, functions/, local-host/ or web/', () => {
    const files = sourceFiles(EMULATOR);
    expect(files.length).toBeGreaterThan(40);
    const violations = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((s) => forbiddenTarget(file, s) !== undefined)
        .map((s) => `${path.relative(ROOT, file)} imports '${s}'`),
    );
    expect(violations).toEqual([]);
  });

  describe('the scanner itself catches each import form', () => {
    const file = path.join(EMULATOR, 'rest', 'example.ts');
    it.each([
      "import { BadRequestError } from '../../shared/errors';",
      "import type { HubSettings } from '../../shared/config';",
      "export { isValidHubName } from '../../shared/names';",
      "import '../../functions/main';",
      "const m = await import('../../local-host/main');",
      "const w = require('../../web/chat');",
      "import {\n  a,\n  b,\n} from '../../shared/hub';",
      "import x from 'shared/errors';",
    ])('%s', (source) => {
      const found = specifiersOf(source).filter((s) => forbiddenTarget(file, s) !== undefined);
      expect(found).toHaveLength(1);
    });

    it.each([
      "import { WebSocketServer } from 'ws';",
      "import http from 'node:http';",
      "import { hubKey } from '../core/name-rules';",
      "import { x } from './shared-state';",
      "import { y } from '../sharedthing/x';",
    ])('allows %s', (source) => {
      expect(specifiersOf(source).filter((s) => forbiddenTarget(file, s) !== undefined)).toEqual([]);
    });
  });
});
