import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumNotFoundError, findChromium, unpackOnce, type ChromiumLookup } from '../../support/chromium-executable';

function lookup(over: Partial<ChromiumLookup> & { executables?: string[] } = {}): ChromiumLookup & { packagedCalls: number } {
  const executables = new Set(over.executables ?? []);
  const result = {
    env: { PATH: '/usr/local/bin:/usr/bin' },
    platform: 'linux' as NodeJS.Platform,
    arch: 'x64',
    isExecutable: (path: string) => executables.has(path),
    packagedCalls: 0,
    async packaged() {
      result.packagedCalls++;
      return '/cache/sparticuz-chromium/147.0.0/chromium';
    },
    ...over,
  };
  return result;
}

describe('findChromium', () => {
  it('uses CHROME_PATH when it points at an executable, before anything else', async () => {
    const l = lookup({ env: { CHROME_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' }, executables: ['/opt/chrome/chrome', '/usr/bin/chromium'] });
    expect(await findChromium(l)).toEqual({ path: '/opt/chrome/chrome', source: 'CHROME_PATH' });
  });

  it('fails on a CHROME_PATH that is not executable instead of quietly using another browser', async () => {
    const l = lookup({ env: { CHROME_PATH: '/nope/chrome', PATH: '/usr/bin' }, executables: ['/usr/bin/chromium'] });
    await expect(findChromium(l)).rejects.toThrow(/CHROME_PATH is set to \/nope\/chrome, which is not an executable/);
    expect(l.packagedCalls).toBe(0);
  });

  it('prefers a system Chromium on PATH to the packaged one', async () => {
    const l = lookup({ executables: ['/usr/bin/google-chrome', '/usr/bin/chromium-browser'] });
    expect(await findChromium(l)).toEqual({ path: '/usr/bin/chromium-browser', source: 'system' });
    expect(l.packagedCalls).toBe(0);
  });

  it('falls back to the packaged Chromium on Linux x64 when the system has none', async () => {
    const l = lookup();
    expect(await findChromium(l)).toEqual({ path: '/cache/sparticuz-chromium/147.0.0/chromium', source: 'packaged' });
    expect(l.packagedCalls).toBe(1);
  });

  it('skips the system lookup with TEST_CHROMIUM=packaged', async () => {
    const l = lookup({ env: { PATH: '/usr/bin', TEST_CHROMIUM: 'packaged' }, executables: ['/usr/bin/chromium'] });
    expect((await findChromium(l)).source).toBe('packaged');
  });

  it('never unpacks with TEST_CHROMIUM=system, and says what it tried', async () => {
    const l = lookup({ env: { PATH: '/usr/bin', TEST_CHROMIUM: 'system' } });
    await expect(findChromium(l)).rejects.toThrow(ChromiumNotFoundError);
    await expect(findChromium(l)).rejects.toThrow(/Tried: chromium, chromium-browser, google-chrome, google-chrome-stable on PATH\. .*CHROME_PATH/);
    expect(l.packagedCalls).toBe(0);
  });

  it('rejects an unknown TEST_CHROMIUM value', async () => {
    await expect(findChromium(lookup({ env: { TEST_CHROMIUM: 'firefox' } }))).rejects.toThrow(/TEST_CHROMIUM must be "system" or "packaged"/);
  });

  it('fails with a clear message where no browser exists and the package has no build (macOS arm64)', async () => {
    const l = lookup({ platform: 'darwin', arch: 'arm64' });
    await expect(findChromium(l)).rejects.toThrow(/packaged @sparticuz\/chromium \(it runs on linux-x64 only; this is darwin-arm64\)/);
    expect(l.packagedCalls).toBe(0);
  });

  it('finds Chrome in its usual Windows and macOS install folders', async () => {
    const win = lookup({
      platform: 'win32',
      env: { PATH: '', PROGRAMFILES: 'C:\\Program Files' },
      executables: [join('C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe')],
    });
    expect((await findChromium(win)).source).toBe('system');
    const mac = lookup({ platform: 'darwin', env: { PATH: '' }, executables: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'] });
    expect(await findChromium(mac)).toEqual({ path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', source: 'system' });
  });
});

describe('unpackOnce', () => {
  let cache: string;
  beforeEach(() => (cache = mkdtempSync(join(tmpdir(), 'chromium-cache-'))));
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('unpacks once and reuses the result', async () => {
    let unpacks = 0;
    const unpack = async (dir: string) => {
      unpacks++;
      writeFileSync(join(dir, 'chromium'), 'binary');
    };
    const first = await unpackOnce(cache, '1.0.0', unpack);
    expect(first).toBe(join(cache, '1.0.0', 'chromium'));
    expect(await unpackOnce(cache, '1.0.0', unpack)).toBe(first);
    expect(unpacks).toBe(1);
    expect(readdirSync(cache)).toEqual(['1.0.0']);
  });

  it('never exposes a half-unpacked folder, and two concurrent unpacks both succeed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async (dir: string) => {
      writeFileSync(join(dir, 'chromium'), 'partial');
      await gate;
    };
    const a = unpackOnce(cache, '2.0.0', slow);
    const b = unpackOnce(cache, '2.0.0', slow);
    await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(join(cache, '2.0.0'))).toBe(false);
    release();
    const [pa, pb] = await Promise.all([a, b]);
    expect(pa).toBe(join(cache, '2.0.0', 'chromium'));
    expect(pb).toBe(pa);
    expect(readdirSync(cache)).toEqual(['2.0.0']);
  });

  it('reports an unpack that produced no executable, and leaves no debris', async () => {
    await expect(unpackOnce(cache, '3.0.0', async () => {})).rejects.toThrow(/left no chromium executable/);
    expect(readdirSync(cache)).toEqual([]);
  });
});
