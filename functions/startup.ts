import { ConfigError } from '../shared/http/errors';
import { getRuntime } from './process-runtime';

// Validate the settings before any function is registered, so a bad setting stops the app at
// start-up with one readable line instead of failing the first request.
try {
  getRuntime();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`Configuration error: ${e.problems.join('; ')}`);
  const short = new Error(`Invalid configuration (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}); see the "Configuration error" line above`);
  short.stack = short.message;
  throw short;
}
