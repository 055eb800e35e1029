/**
 * scripts/defer-dependency.cjs: a deferred package is in the bundle (or beside it) but its module code
 * runs only on first use, once, and each export still behaves as the real one.
 *
 * esbuild runs in a child process: its JS API refuses jest's sandboxed Uint8Array.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

interface Outcome {
  loadsAtStart: number;
  signed: string;
  loadsAfterUse: number;
  errorIsReal: boolean;
  loadsAtEnd: number;
  bundleText: string;
  sideFileExists: boolean;
}

/** Builds `entry.js` (which imports the fake package `heavy`) with the plugin, runs it, reports. */
function buildAndRun(mode: 'inline' | 'file'): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'defer-dependency-'));
  try {
    mkdirSync(join(dir, 'node_modules', 'heavy'), { recursive: true });
    // The "heavy" package counts how often its top level runs.
    writeFileSync(
      join(dir, 'node_modules', 'heavy', 'index.js'),
      `globalThis.heavyLoads = (globalThis.heavyLoads ?? 0) + 1;
       class HeavyError extends Error { static kind = 'heavy-error'; }
       module.exports = { sign: (x, cb) => { const s = 'signed:' + x; if (cb) cb(null, s); return s; }, HeavyError };`,
    );
    writeFileSync(
      join(dir, 'entry.js'),
      `import heavy from 'heavy';
       export const sign = (x) => heavy.sign(x);
       export const signCallback = (x) => new Promise((resolve) => heavy.sign(x, (_e, s) => resolve(s)));
       export const errorClass = () => heavy.HeavyError;`,
    );
    const script = `
      const { build } = require(${JSON.stringify(join(root, 'node_modules', 'esbuild'))});
      const { deferDependency, deferredBundle } = require(${JSON.stringify(join(root, 'scripts', 'defer-dependency.cjs'))});
      const fs = require('node:fs');
      (async () => {
        process.chdir(${JSON.stringify(dir)});
        const base = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'error', absWorkingDir: process.cwd() };
        const mode = ${JSON.stringify(mode)};
        const plugin = mode === 'file'
          ? deferDependency('heavy', { functions: ['sign'], values: ['HeavyError'], file: './heavy-deferred.js' })
          : deferDependency('heavy', { functions: ['sign'], values: ['HeavyError'] });
        await build({ ...base, entryPoints: ['./entry.js'], outfile: 'out/main.js', plugins: [plugin] });
        if (mode === 'file') await build(deferredBundle('heavy', ['sign', 'HeavyError'], 'out/heavy-deferred.js', base));
        // Nothing outside out/ may be reachable at run time: the package folder goes away.
        fs.rmSync('node_modules', { recursive: true });
        const m = require(${JSON.stringify(join(dir, 'out', 'main.js'))});
        const loadsAtStart = globalThis.heavyLoads ?? 0;
        const signed = m.sign('a') + '|' + (await m.signCallback('b'));
        const loadsAfterUse = globalThis.heavyLoads;
        const E = m.errorClass();
        const errorIsReal = new E('x') instanceof Error && E.kind === 'heavy-error';
        m.sign('c');
        process.stdout.write(JSON.stringify({ loadsAtStart, signed, loadsAfterUse, errorIsReal, loadsAtEnd: globalThis.heavyLoads,
          bundleText: fs.readFileSync('out/main.js', 'utf8'), sideFileExists: fs.existsSync('out/heavy-deferred.js') }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build/run failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(['inline', 'file'] as const)('deferDependency (%s)', (mode) => {
  let out: Outcome;
  beforeAll(() => {
    out = buildAndRun(mode);
  });

  it('does not run the package when the bundle loads', () => {
    expect(out.loadsAtStart).toBe(0);
  });

  it('runs it once, on first use, and forwards calls with their arguments and callbacks', () => {
    expect(out.signed).toBe('signed:a|signed:b');
    expect(out.loadsAfterUse).toBe(1);
    expect(out.loadsAtEnd).toBe(1);
  });

  it('forwards values (a class) as the real ones', () => {
    expect(out.errorIsReal).toBe(true);
  });

  it(mode === 'file' ? 'keeps the package out of the main bundle, in the side file' : 'keeps the package inside the one bundle', () => {
    expect(out.bundleText.includes('heavyLoads')).toBe(mode === 'inline');
    expect(out.sideFileExists).toBe(mode === 'file');
  });
});

/** Every file the Functions build imports `pkg` from (esbuild's metafile, in a child process). */
function importersOf(pkgs: string[]): Record<string, string[]> {
  const script = `
    const { build } = require(${JSON.stringify(join(root, 'node_modules', 'esbuild'))});
    (async () => {
      const r = await build({ entryPoints: [${JSON.stringify(join(root, 'functions', 'index.ts'))}], bundle: true, platform: 'node', format: 'cjs',
        target: 'node20', write: false, outfile: 'out.js', metafile: true, external: ['@azure/functions-core'], logLevel: 'error', absWorkingDir: ${JSON.stringify(root)} });
      const pkgs = ${JSON.stringify(pkgs)};
      const out = Object.fromEntries(pkgs.map((p) => [p, []]));
      for (const [file, input] of Object.entries(r.metafile.inputs)) {
        for (const imp of input.imports) if (pkgs.includes(imp.original)) out[imp.original].push(file);
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, string[]>;
}

/** The names a module's source uses from `pkg`: named imports (not `type`), and `x.name` for default or namespace imports. */
function namesUsed(source: string, pkg: string): string[] {
  const from = `\\s*from\\s*["']${pkg.replace(/[/.]/g, '\\$&')}["']`;
  const names = new Set<string>();
  for (const m of source.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}${from}`, 'g'))) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name && !name.startsWith('type ')) names.add(name);
    }
  }
  for (const m of source.matchAll(new RegExp(`import\\s+(?:\\*\\s+as\\s+)?(\\w+)${from}`, 'g'))) {
    for (const use of source.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) names.add(use[1]!);
  }
  return [...names].sort();
}

describe('the deferral lists (scripts/deferred-dependencies.cjs) cover every importer', () => {
  const lists = require('../../../scripts/deferred-dependencies.cjs') as Record<string, { functions?: string[]; values?: string[] }>;
  const importers = importersOf(Object.keys(lists));

  it.each(Object.keys(lists))('%s: every name its importers use is forwarded by the stub', (pkg) => {
    const listed = new Set([...(lists[pkg]!.functions ?? []), ...(lists[pkg]!.values ?? [])]);
    expect(importers[pkg]!.length).toBeGreaterThan(0);
    for (const file of importers[pkg]!) {
      const used = namesUsed(readFileSync(join(root, file), 'utf8'), pkg);
      expect({ file, missing: used.filter((n) => !listed.has(n)) }).toEqual({ file, missing: [] });
    }
  });

  it('the name scan finds default, namespace and named imports (so the check above can fail)', () => {
    expect(namesUsed(`import jwt from "jsonwebtoken";\nconst t = jwt.sign({}, k); jwt.decode(t);`, 'jsonwebtoken')).toEqual(['decode', 'sign']);
    expect(namesUsed(`import * as id from '@azure/identity';\nnew id.ClientSecretCredential();`, '@azure/identity')).toEqual(['ClientSecretCredential']);
    expect(
      namesUsed(`import { DefaultAzureCredential, type TokenCredential, getBearerTokenProvider as g } from '@azure/identity';`, '@azure/identity'),
    ).toEqual(['DefaultAzureCredential', 'getBearerTokenProvider']);
  });
});

describe('the Functions bundle (dist/functions)', () => {
  const main = () => readFileSync(join(root, 'dist', 'functions', 'main.js'), 'utf8');

  it('keeps MSAL out of main.js: keyless-only code lives in azure-identity.js', () => {
    expect(main()).not.toMatch(/node_modules\/@azure\/msal-node\//);
    expect(readFileSync(join(root, 'dist', 'functions', 'azure-identity.js'), 'utf8')).toMatch(/node_modules\/@azure\/msal-node\//);
  });

  it('reaches jsonwebtoken only through the deferral stub', () => {
    expect(main()).toMatch(/deferred:jsonwebtoken/);
  });
});
