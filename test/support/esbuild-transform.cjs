// Jest transform: the same compiler as the build (esbuild), so tests run the code the bundle runs.
// It also turns ESM-only packages such as jose 6 into CommonJS, which jest's module system needs.
// Type checking is a separate step (`npm run typecheck`), as with any transpile-only transform.
'use strict';
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const loader = /\.tsx?$/.test(filename) ? 'ts' : 'js';
    const { code, map } = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
      // import.meta has no CommonJS meaning; the project code does not use it.
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
};
