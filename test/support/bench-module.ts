import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCH = join(__dirname, '..', '..', 'bench');

/**
 * Runs `body` (the inside of an async ESM function) in a child Node process with the bench module
 * `module` (a path under bench/, e.g. 'load/fanout-loop.mjs') imported as `m`, and returns what the
 * body returns, through JSON. The bench is ESM with import.meta, so it runs outside jest's module system.
 */
export function runBenchModule<T>(module: string, body: string, timeoutMs = 20000): T {
  const script = `
    import * as m from ${JSON.stringify(join(BENCH, module))};
    const result = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify(result));
    process.exit(0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`bench module script failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
