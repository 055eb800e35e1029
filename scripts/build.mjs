// One build for everything: esbuild bundles each entry point into dist/.
// Entry points that do not exist yet are skipped, so a partial checkout still builds.
// Usage: node scripts/build.mjs [--watch]
import { build, context } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import deferDependencyModule from './defer-dependency.cjs';
import deferred from './deferred-dependencies.cjs';

const { deferDependency, deferredBundle } = deferDependencyModule;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

// The Functions bundle embeds the built chat page (web/page-files.ts is swapped for a module holding the
// bytes), so a deployment serves /api/chat/ with nothing but main.js. The page is therefore built first.
const pageFiles = ['index.html', 'chat.js', 'chat.css'];
const embedChatPage = {
  name: 'embed-chat-page',
  setup(b) {
    b.onLoad({ filter: /[\\/]web[\\/]page-files\.ts$/ }, () => {
      const entries = pageFiles
        .filter((f) => existsSync(join(root, 'dist/web', f)))
        .map(
          (f) =>
            `[${JSON.stringify(f)}, { contentType: pageFileTypes[${JSON.stringify(f)}], body: Buffer.from(${JSON.stringify(readFileSync(join(root, 'dist/web', f)).toString('base64'))}, 'base64') }]`,
        );
      return {
        loader: 'js',
        resolveDir: join(root, 'web'),
        contents: `import { pageFileTypes } from './page-request';\nconst files = new Map([${entries.join(',\n')}]);\nexport function loadPageFiles() { return files; }\n`,
      };
    });
  },
};

// Dependencies that load on first use rather than with the bundle: scripts/deferred-dependencies.cjs.
const jwtDeferral = deferred.jsonwebtoken;
const identityDeferral = deferred['@azure/identity'];
const undiciDeferral = deferred.undici;
const deferJsonWebToken = deferDependency('jsonwebtoken', jwtDeferral);
const deferIdentity = deferDependency('@azure/identity', identityDeferral);
const deferUndici = deferDependency('undici', undiciDeferral);

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The Functions app. @azure/functions-core is supplied at run time by the Functions worker
  // (or by local-host/), so it must stay external (azure-functions-nodejs-library#201).
  {
    ...node,
    entryPoints: ['functions/index.ts'],
    outfile: 'dist/functions/main.js',
    external: ['@azure/functions-core'],
    plugins: [embedChatPage, deferJsonWebToken, deferIdentity, deferUndici],
  },
  deferredBundle('@azure/identity', identityDeferral.values, `dist/functions/${identityDeferral.file.slice(2)}`, { ...node, plugins: [deferJsonWebToken] }),
  deferredBundle('undici', undiciDeferral.values, `dist/functions/${undiciDeferral.file.slice(2)}`, node),
  { ...node, entryPoints: ['emulator/main.ts'], outfile: 'dist/emulator/main.js', external: ['bufferutil', 'utf-8-validate'] },
  { ...node, entryPoints: ['local-host/main.ts'], outfile: 'dist/local-host/main.js', external: ['@azure/functions-core'] },
  { ...node, entryPoints: ['scripts/start.ts'], outfile: 'dist/start.js' },
].filter((t) => !t.entryPoints || existsSync(join(root, t.entryPoints[0])));
// The chat page: a browser bundle, built before the rest (the Functions bundle embeds it).
const page = {
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  format: 'iife',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  entryPoints: ['web/chat.ts'],
  outfile: 'dist/web/chat.js',
};
const hasPage = existsSync(join(root, page.entryPoints[0]));

function copyStatic() {
  const from = join(root, 'web');
  if (!existsSync(from)) return;
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  for (const f of readdirSync(from)) {
    if (/\.(html|css|svg|ico|png)$/.test(f)) cpSync(join(from, f), join(root, 'dist/web', f));
  }
}

process.chdir(root);
if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
copyStatic();
if (watch) {
  // In watch mode the Functions bundle keeps the page it embedded at start; the local host serves dist/web/ live.
  if (hasPage) await (await context(page)).watch();
  for (const t of targets) await (await context(t)).watch();
  console.log(`watching ${targets.length + (hasPage ? 1 : 0)} entry points`);
} else {
  const started = Date.now();
  if (hasPage) await build(page);
  await Promise.all(targets.map((t) => build(t)));
  console.log(`built ${targets.length + (hasPage ? 1 : 0)} bundles into dist/ in ${Date.now() - started} ms`);
}
