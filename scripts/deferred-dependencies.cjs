'use strict';
// The dependencies the Functions bundle defers (scripts/defer-dependency.cjs), with the exports each
// stub forwards. An import of a name not listed here would be undefined at run time:
// test/unit/scripts/defer-dependency.test.ts checks these lists against every importer.
module.exports = {
  // @azure/web-pubsub (and, in keyless mode, msal-node) import jsonwebtoken at load but only call `sign`
  // on the first REST call made with an access key. Its load, with semver's regular expressions, was
  // about 20 ms of a 135 ms cold start (bench scenario 7); keyless mode never needs it at all.
  jsonwebtoken: {
    functions: ['sign', 'verify', 'decode'],
    values: ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError'],
  },
  // Keyless mode only: DefaultAzureCredential and MSAL (about 950 kB bundled) live in a file of their
  // own, which an app using an access key never loads.
  '@azure/identity': {
    values: ['DefaultAzureCredential'],
    file: './azure-identity.js',
  },
  // The HTTP client under the REST calls (shared/http/http-exchange.ts): about 600 kB bundled, needed on
  // the first REST call, never for negotiate alone. In a file of its own, it costs the cold start nothing.
  undici: {
    values: ['Agent'],
    file: './undici.js',
  },
};
