/**
 * Which Chromium the browser test drives. In order:
 *  1. CHROME_PATH, when set (it must point at an executable; a wrong path is an error, not a fallback);
 *  2. a Chromium or Chrome installed on the system (skipped when TEST_CHROMIUM=packaged);
 *  3. the Chromium shipped inside the `@sparticuz/chromium` npm package (Linux x64 only; skipped when
 *     TEST_CHROMIUM=system), unpacked once per version into node_modules/.cache.
 * When none is found the lookup throws, naming what it tried: the browser test never skips silently.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { isExecutableFile } from '../../scripts/process-tree';

export interface FoundChromium {
  readonly path: string;
  /** For messages: where the executable came from. */
  readonly source: 'CHROME_PATH' | 'system' | 'packaged';
}

export interface ChromiumLookup {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  isExecutable(path: string): boolean;
  /** Unpacks the packaged Chromium (or reuses an unpacked one) and returns its path. */
  packaged(): Promise<string>;
}

export class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
}

/** Command names looked up on PATH, then well-known install locations per platform. */
export const systemCommands = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

function wellKnownPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (platform === 'win32') {
    return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
      .filter((dir): dir is string => Boolean(dir))
      .map((dir) => join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  return [];
}

function systemCandidates(lookup: ChromiumLookup): string[] {
  const dirs = (lookup.env.PATH ?? '').split(delimiter).filter(Boolean);
  const suffix = lookup.platform === 'win32' ? '.exe' : '';
  const onPath = systemCommands.flatMap((name) => dirs.map((dir) => join(dir, `${name}${suffix}`)));
  return [...onPath, ...wellKnownPaths(lookup.platform, lookup.env)];
}

/** `@sparticuz/chromium` ships a Linux x64 build only (its arm64 build is a separate download). */
export function packagedSupported(platform: NodeJS.Platform, arch: string): boolean {
  return platform === 'linux' && arch === 'x64';
}

export async function findChromium(lookup: ChromiumLookup): Promise<FoundChromium> {
  const explicit = lookup.env.CHROME_PATH;
  if (explicit) {
    if (!lookup.isExecutable(explicit))
      throw new ChromiumNotFoundError(
        `CHROME_PATH is set to ${explicit}, which is not an executable file. Point it at a Chromium or Chrome binary, or unset it.`,
      );
    return { path: explicit, source: 'CHROME_PATH' };
  }
  const only = lookup.env.TEST_CHROMIUM;
  if (only !== undefined && only !== 'system' && only !== 'packaged') {
    throw new ChromiumNotFoundError(`TEST_CHROMIUM must be "system" or "packaged" (or unset to try both), not "${only}".`);
  }
  const tried: string[] = [];
  if (only !== 'packaged') {
    const system = systemCandidates(lookup).find((path) => lookup.isExecutable(path));
    if (system) return { path: system, source: 'system' };
    tried.push(`${systemCommands.join(', ')} on PATH${wellKnownPaths(lookup.platform, lookup.env).length > 0 ? ' and the usual install folders' : ''}`);
  }
  if (only !== 'system') {
    if (packagedSupported(lookup.platform, lookup.arch)) return { path: await lookup.packaged(), source: 'packaged' };
    tried.push(`the packaged @sparticuz/chromium (it runs on linux-x64 only; this is ${lookup.platform}-${lookup.arch})`);
  }
  throw new ChromiumNotFoundError(
    `The browser test needs Chromium or Chrome and found none. Tried: ${tried.join('; ')}. ` +
      'Install Chromium (e.g. "sudo apt-get install chromium") or Chrome, or set CHROME_PATH to its executable.',
  );
}

/**
 * Unpacks into `<cacheDir>/<version>` through a private staging folder renamed into place, so a run
 * that finds the folder finds it complete, and two runs unpacking at once cannot hand out a half-written
 * binary. `unpackInto(dir)` must leave the executable at `<dir>/chromium`.
 */
export async function unpackOnce(cacheDir: string, version: string, unpackInto: (dir: string) => Promise<void>): Promise<string> {
  const target = join(cacheDir, version);
  const executable = join(target, 'chromium');
  if (existsSync(executable)) return executable;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, `.${version}-`));
  try {
    await unpackInto(staging);
    if (!existsSync(join(staging, 'chromium'))) throw new Error(`unpacking left no chromium executable in ${staging}`);
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another run renamed its copy into place first: use that one.
      if (!existsSync(executable)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

/**
 * `@sparticuz/chromium` unpacks into os.tmpdir() and reuses whatever `chromium` it finds there (another
 * project's, another version's, or one still being written). Running it in a child whose TMPDIR is our
 * staging folder keeps its files ours.
 */
export async function unpackSparticuzChromium(): Promise<string> {
  // The package's exports do not include package.json: find it from the entry point (build/cjs/index.cjs).
  const entry = require.resolve('@sparticuz/chromium');
  const packageRoot = join(dirname(entry), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const cacheDir = join(packageRoot, '..', '..', '.cache', 'sparticuz-chromium');
  return unpackOnce(cacheDir, version, async (dir) => {
    const script = `require(${JSON.stringify(entry)}).executablePath()`;
    await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: dir, TMP: dir, TEMP: dir } });
  });
}

/** The lookup on this machine. */
export function findLocalChromium(): Promise<FoundChromium> {
  return findChromium({ env: process.env, platform: process.platform, arch: process.arch, isExecutable: isExecutableFile, packaged: unpackSparticuzChromium });
}

/**
 * Chromium for a browser test, found with `findLocalChromium` and started headless. Rejects, saying
 * why, when there is none or it does not start: a browser test never skips.
 */
export async function launchTestChromium(): Promise<Browser> {
  const found = await findLocalChromium();
  try {
    return await chromium.launch({
      executablePath: found.path,
      // Without the background-networking flags Chromium keeps calling Google's hosts, which a closed network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  } catch (err) {
    throw new Error(
      `Chromium (${found.source}: ${found.path}) did not start. The packaged one needs the system libraries libnss3 and libnspr4; ` +
        `set CHROME_PATH to use another browser.\n${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
