'use strict';
// An esbuild plugin that defers a dependency: its module code runs only when one of its exports is
// first used, not when the bundle loads.
//
// Why: a Functions app loads its whole module graph before it answers its first request, and a bundle
// runs every statically imported module's top level at load. Some dependencies are imported at the top
// (by us or by libraries we use) yet needed only in one configuration: jsonwebtoken signs REST calls
// only with an access key, @azure/identity serves only keyless mode. Importers get a small stub whose
// exports forward to the real module, which is required once, on first use.
//
// Two ways to hold the real module:
// - in the same bundle (default): esbuild bundles it as a lazily initialised CommonJS module. Its code is
//   still compiled with the bundle. Right for small CommonJS packages.
// - in a file of its own (`file`): the stub requires that file, which `deferredBundle` builds next to
//   the main bundle. Nothing of it is even compiled until first use. Right for large packages (MSAL),
//   and for ESM packages, whose tree-shaken ESM build `require` would not pick.
//
// Only for packages used through named functions or values read at call time (not `instanceof` checks
// or subclassing at load), and whose first use may be synchronous.
const { relative } = require('node:path');

/** A regular expression matching exactly `text`. */
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

/**
 * @param {string} pkg the bare package name importers use (`jsonwebtoken`)
 * @param {{ functions?: string[], values?: string[], file?: string }} options functions are forwarded
 *   calls; values are getters (classes, constants); file: `./name.js` beside the main bundle
 * @returns {import('esbuild').Plugin}
 */
function deferDependency(pkg, { functions = [], values = [], file }) {
  const namespace = `deferred:${pkg}`;
  const filter = exactly(pkg);
  const real = Symbol('real module');
  const target = file ?? pkg;
  const stub = [
    `let real;`,
    `const load = () => (real ??= require(${JSON.stringify(target)}));`,
    `module.exports = {`,
    ...functions.map((name) => `  ${JSON.stringify(name)}: (...args) => load()[${JSON.stringify(name)}](...args),`),
    ...values.map((name) => `  get ${JSON.stringify(name)}() { return load()[${JSON.stringify(name)}]; },`),
    `};`,
  ].join('\n');
  return {
    name: `defer-${pkg}`,
    setup(build) {
      if (file) build.onResolve({ filter: exactly(file) }, (args) => (args.namespace === namespace ? { path: file, external: true } : undefined));
      build.onResolve({ filter }, (args) => {
        if (args.pluginData === real) return undefined; // the stub's own require: resolve as usual
        if (args.namespace === namespace) {
          return build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: real });
        }
        // One stub per importing folder, so each importer still gets the copy it would have resolved.
        return { path: `${pkg} from ${relative(process.cwd(), args.resolveDir)}`, namespace, pluginData: { resolveDir: args.resolveDir } };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: stub, loader: 'js', resolveDir: args.pluginData.resolveDir }));
    },
  };
}

/**
 * Build options for the file a `file`-mode deferral requires: `pkg`'s listed exports, bundled alone.
 * @param {string} pkg
 * @param {string[]} names
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} base
 * @returns {import('esbuild').BuildOptions}
 */
function deferredBundle(pkg, names, outfile, base) {
  return {
    ...base,
    stdin: {
      contents: `export { ${names.join(', ')} } from ${JSON.stringify(pkg)};`,
      resolveDir: process.cwd(),
      loader: 'js',
      sourcefile: `deferred-${pkg.replace(/\W+/g, '-')}.js`,
    },
    outfile,
  };
}

module.exports = { deferDependency, deferredBundle };
