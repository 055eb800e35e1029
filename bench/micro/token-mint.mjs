// Scenario 5b: client token minting per second, in-process on the server core: the project's issuer
// (shared/auth/client-access-token-issuer.ts, bundled here with esbuild) against @azure/web-pubsub getClientAccessToken.
import { build } from 'esbuild';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent, compare, row, Missing } from '../lib/harness.mjs';
import { ROOT } from '../lib/systems.mjs';
import { SERVER_CPU } from '../lib/proc.mjs';

export const title = 'Token minting (in-process)';

export async function run(ctx) {
  const timing = ctx.quick ? { warmupMs: 200, measureMs: 500 } : { warmupMs: 500, measureMs: 1500 };
  const src = join(ROOT, 'shared/auth/client-access-token-issuer.ts');
  let bundle = null;
  if (existsSync(src)) {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-token-')), 'client-token.mjs');
    await build({ entryPoints: [src], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'error' });
    bundle = out;
  }
  for (const concurrency of [1, 64]) {
    const m = await compare(ctx, `token mint x${concurrency}`, {
      ours: () => {
        if (!bundle) throw new Missing('shared/auth/client-access-token-issuer.ts missing');
        return runAgent('token-mint', { impl: 'ours', bundle, key: ctx.key, concurrency, ...timing }, { cpu: SERVER_CPU });
      },
      baseline: () => runAgent('token-mint', { impl: 'sdk', key: ctx.key, concurrency, ...timing }, { cpu: SERVER_CPU }),
    });
    const s = `5. Token minting, ${concurrency === 1 ? 'awaited one at a time' : `${concurrency} concurrent`}`;
    row(ctx, {
      scenario: s,
      metric: 'tokens/s',
      m,
      key: 'perSecond',
      notes: 'ours: createKeyTokenIssuer; baseline: SDK getClientAccessToken (jsonwebtoken, string key)',
    });
  }
}
