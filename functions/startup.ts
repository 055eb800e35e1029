import { ConfigError } from '../shared/http/errors';
import { getRuntime } from './process-runtime';

// Validate the settings before any function is registered and print one readable line at load.
// A bad setting does not stop the app from loading: in Azure, an app that throws while loading is
// reported as loaded with no functions, so every route answers 404 and the error sits in a log
// nobody reads. The functions are registered anyway and answer 500 naming the setting
// (misconfigured.ts). A non-configuration error is a bug and still fails the load.
try {
  getRuntime();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`Configuration error: ${e.problems.join('; ')}`);
}
