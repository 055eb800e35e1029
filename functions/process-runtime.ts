import { loadConfig } from '../shared/config/app-config';
import { createRuntime, type Runtime } from '../shared/config/app-runtime';
import { ConfigError } from '../shared/http/errors';

let runtime: Runtime | undefined;
let configError: ConfigError | undefined;

/**
 * The process-wide runtime, built once from the environment (startup.ts builds it at load). Settings
 * are read once per instance, as App Service applies a settings change by restarting the app: a
 * ConfigError is kept and thrown again on every call, without reading the settings again.
 */
export function getRuntime(): Runtime {
  if (runtime) return runtime;
  if (configError) throw configError;
  try {
    runtime = createRuntime(loadConfig());
  } catch (e) {
    if (e instanceof ConfigError) configError = e;
    throw e;
  }
  return runtime;
}
