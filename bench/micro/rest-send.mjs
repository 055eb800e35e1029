// Scenario 5c: the app's REST send path (createHubService → @azure/web-pubsub) one cut at a time, each variant in a
// fresh process on the server core: first the pipeline alone (a last policy answers 202, no socket: the
// steadiest figure for what the cuts remove), then over HTTP against a bare sink on the load core that
// checks every token (bench/servers/rest-sink.mjs). Rows: each variant against the SDK as documented
// (AzureKeyCredential); the notes give each step against the one before it.
// Standalone: node bench/micro/rest-send.mjs [--quick]
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent, row, summarize } from '../lib/harness.mjs';
import { ROOT } from '../lib/systems.mjs';
import { SERVER_CPU, LOAD_CPU, startNode, stop, freePort, waitForHttp, httpRequest } from '../lib/proc.mjs';

export const title = 'REST send path (in-process client, bare sink)';

/** Cumulative cuts, in order; `nokeepalive` is the app's client with connection reuse turned off. */
const STEPS = [
  ['keyobject', 'key as a KeyObject (the app before issue 15)'],
  ['tokencache', '+ one token per URL, reused until 5 min before expiry'],
  ['trimmed', '+ no form-data/multipart/tracing policies'],
  ['deadline', '+ one abort signal per 100 ms, not one per call'],
  ['app', "+ the app's own HTTP transport, not the SDK's NodeHttpClient (the app)"],
  ['nokeepalive', 'the app without keep-alive'],
];

async function bundleApp() {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-rest-')), 'rest-send.mjs');
  const hub = join(ROOT, 'shared/hub');
  await build({
    stdin: {
      contents: [
        `export { createServiceClients, createHubService, SecretKeyCredential, sdkClientOptions } from './service-client';`,
        `export { createRestTokenCache } from './rest-token-cache';`,
        `export { useCachedRestTokens, removeUnusedPolicies, pipelineOf } from './sdk-pipeline';`,
        `export { WebPubSubServiceClient, AzureKeyCredential } from '@azure/web-pubsub';`,
        `export { createHttpHeaders, createDefaultHttpClient } from '@azure/core-rest-pipeline';`,
      ].join('\n'),
      resolveDir: hub,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
    // CommonJS dependencies inside an ESM bundle need a require.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out;
}

export async function run(ctx) {
  // Warm-up by call count (the JIT keeps improving for thousands of calls), capped so the slow SDK
  // default cannot stretch the run.
  const timing = ctx.quick ? { warmupCalls: 1000, warmupMaxMs: 2000, measureMs: 700 } : { warmupCalls: 5000, warmupMaxMs: 5000, measureMs: 1500 };
  const bundle = await bundleApp();
  const port = await freePort();
  const sink = startNode(join(ROOT, 'bench/servers/rest-sink.mjs'), ['--port', String(port), '--key', ctx.key], { cpu: LOAD_CPU });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, { child: sink });
    const endpoint = `http://127.0.0.1:${port}`;
    const stats = async () => JSON.parse((await httpRequest(`${endpoint}/stats?reset`)).body);
    const measure = async (name, transport) => {
      await stats();
      const params = { variant: name, bundle, endpoint, key: ctx.key, transport, concurrency: 16, ...timing };
      const res = await runAgent('rest-send', params, { cpu: SERVER_CPU });
      const s = await stats();
      if (s.rejected) throw new Error(`the sink refused ${s.rejected} of ${s.requests} ${name} calls (token check)`);
      return { ...res, connections: s.connections, tokensSigned: s.tokens };
    };
    // The pipeline alone first (no sockets: the steadiest figure for what the cuts remove), then over HTTP.
    for (const transport of ['none', 'http']) {
      // Every step without sockets; over HTTP only the before/after pair and keep-alive, to keep the run short.
      // Without sockets the transport step has nothing to measure.
      const steps = STEPS.filter(([n]) =>
        transport === 'http' ? ['keyobject', 'deadline', 'app', 'nokeepalive'].includes(n) : !['app', 'nokeepalive'].includes(n),
      );
      // Every variant once per round, in a fixed order, so drift over the run hits them all alike.
      const names = ['sdk', ...steps.map(([n]) => n)];
      const runs = Object.fromEntries(names.map((n) => [n, []]));
      const errors = {};
      for (let r = 0; r < ctx.runs; r++) {
        for (const name of names) {
          if (errors[name]) continue;
          try {
            runs[name].push(await measure(name, transport));
          } catch (e) {
            errors[name] = e;
            ctx.log(`  rest send ${name} (${transport}) failed: ${e?.message ?? e}`);
          }
        }
        const brief = names.map((n) => `${n} ${runs[n].at(-1)?.usCpuPerCall?.toFixed(0) ?? '-'}`).join(', ');
        ctx.log(`  rest send, ${transport === 'none' ? 'pipeline only' : 'over HTTP'}, run ${r + 1}/${ctx.runs}, µs CPU per call: ${brief}`);
      }
      const cpu = (name) => summarize(runs[name], 'perCpuSecond')?.median;
      const where = transport === 'none' ? 'pipeline only, no socket' : 'over HTTP';
      let previous = 'sdk';
      for (const [name, stepLabel] of steps) {
        // Over HTTP the deadline row follows the "before" row directly: it carries the first three cuts at once.
        const label = transport === 'http' && name === 'deadline' ? 'the first three cuts (the app before its own transport)' : stepLabel;
        const m = { ours: runs[name], baseline: runs.sdk, oursError: errors[name] ?? null, baselineError: errors.sdk ?? null, discarded: [] };
        ctx.raw[`rest send ${name} (${transport})`] = { ours: runs[name], baseline: runs.sdk };
        const step = cpu(name) / cpu(previous);
        const sockets = summarize(runs[name], 'connections')?.median;
        const notes = [
          Number.isFinite(step) ? `${step.toFixed(2)}x the ${previous === 'sdk' ? 'SDK' : 'row above'}` : 'step n/a',
          transport === 'http' ? `${sockets ?? '?'} sockets for 16 calls in flight` : '',
        ].filter(Boolean);
        row(ctx, { scenario: `5c. REST send (${where}): ${label}`, metric: 'calls per CPU s', m, key: 'perCpuSecond', notes: notes.join('; ') });
        if (transport === 'http') {
          row(ctx, { scenario: `5c. REST send (${where}): ${label}`, metric: 'calls/s', m, key: 'perSecond', notes: 'baseline: SDK with AzureKeyCredential' });
        }
        if (name !== 'nokeepalive') previous = name;
      }
    }
  } finally {
    await stop(sink);
  }
}

// Standalone: a quick table without the full bench.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { devAccessKey } = await import('../lib/jwt.mjs');
  const quick = process.argv.includes('--quick');
  const ctx = {
    quick,
    runs: quick ? 1 : 3,
    retries: 0,
    retryUntil: 0,
    key: devAccessKey(),
    rows: [],
    raw: {},
    skipped: [],
    log: (s) => process.stderr.write(`${s}\n`),
  };
  await run(ctx);
  for (const r of ctx.rows)
    console.log(`${r.scenario} | ${r.metric} | ours ${r.ours?.median.toFixed(0)} | sdk ${r.baseline?.median.toFixed(0)} | ${r.ratio.toFixed(2)}x | ${r.notes}`);
}
