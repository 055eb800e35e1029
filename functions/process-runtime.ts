import { loadConfig } from '../shared/config/app-config';
import { createRuntime, type Runtime } from '../shared/config/app-runtime';

let runtime: Runtime | undefined;

/** The process-wide runtime, built once from the environment (index.ts builds it at start-up). */
export function getRuntime(): Runtime {
  runtime ??= createRuntime(loadConfig());
  return runtime;
}
