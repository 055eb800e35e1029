'use strict';
// azd `prepackage` hook of the `api` service (azure.yaml): stages the deployment package in
// infra/.deploy/api, which azure.yaml's `dist` points azd at.
//
// Why a staged package rather than the project root: the app is one esbuild bundle, so the package
// must carry no node_modules and no sources. azd (since azure-dev PR #7223) turns remote build on
// whenever the project's .funcignore excludes node_modules, and refuses `remoteBuild: false` in
// that case. A remote (Oryx) build of the project root would run `npm install` and `npm run build`
// without the sources. The staged package.json has no dependencies and no scripts, so the package is
// deployed as built whether or not a remote build runs.
//
// Layout is the project's own (package.json `main` unchanged), so the bundle finds what it found
// locally. Bundles that only serve local development are left out.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Entries of dist/ that never run in Azure (scripts/build.mjs: emulator, local host, start script). */
const DEV_ONLY_DIST_ENTRIES = Object.freeze(['emulator', 'local-host', 'start.js', 'start.js.map']);

/**
 * Copies host.json, a dependency-free package.json and dist/ (minus DEV_ONLY_DIST_ENTRIES) from
 * `root` into `outDir`, replacing what was there. Throws when the bundle named by `main` is missing.
 */
function stageFunctionPackage({ root, outDir }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (typeof pkg.main !== 'string' || pkg.main === '') throw new Error('package.json has no "main": the Functions worker would find no entry point');
  if (!fs.existsSync(path.join(root, pkg.main))) throw new Error(`${pkg.main} does not exist: run the build (npm run build) first`);
  if (!pkg.main.startsWith('dist/')) throw new Error(`package.json "main" (${pkg.main}) must point into dist/, the only folder staged`);

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(root, 'host.json'), path.join(outDir, 'host.json'));

  const staged = { name: pkg.name, version: pkg.version, private: true, main: pkg.main };
  if (pkg.type !== undefined) staged.type = pkg.type;
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);

  const distFrom = path.join(root, 'dist');
  const distTo = path.join(outDir, 'dist');
  fs.mkdirSync(distTo);
  for (const entry of fs.readdirSync(distFrom)) {
    if (DEV_ONLY_DIST_ENTRIES.includes(entry)) continue;
    fs.cpSync(path.join(distFrom, entry), path.join(distTo, entry), { recursive: true });
  }
  return { main: pkg.main, outDir };
}

module.exports = { stageFunctionPackage, DEV_ONLY_DIST_ENTRIES };

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  // azd runs the npm build before packaging, but `azd package` alone may not have; esbuild is quick.
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  const { main, outDir } = stageFunctionPackage({ root, outDir: path.join(root, 'infra', '.deploy', 'api') });
  console.log(`staged ${path.relative(root, outDir)} (main: ${main})`);
}
