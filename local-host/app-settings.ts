import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the host reads from the app folder before loading the app. */
export interface AppSettings {
  /** `local.settings.json`, `local.settings.sample.json`, or null when neither exists. */
  readonly file: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly cors: string | undefined;
  readonly corsCredentials: boolean | undefined;
  /** host.json `extensions.http.routePrefix`; `api` when unset. */
  readonly routePrefix: string;
  /** package.json `main` (may be a glob). */
  readonly main: string;
}

/** Thrown for a settings problem the user must fix; main.ts prints the message alone. */
export class AppSettingsError extends Error {
  override name = 'AppSettingsError';
}

export function readAppSettings(appDir: string, only?: 'local.settings.sample.json'): AppSettings {
  const candidates = only ? [only] : ['local.settings.json', 'local.settings.sample.json'];
  const file = candidates.find((f) => existsSync(join(appDir, f))) ?? null;
  const local = file ? (readJson(appDir, file) as { Values?: Record<string, unknown>; Host?: Record<string, unknown> }) : {};
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(local.Values ?? {})) if (v !== null && v !== undefined) values[k] = String(v);
  const host = existsSync(join(appDir, 'host.json')) ? (readJson(appDir, 'host.json') as { extensions?: { http?: { routePrefix?: unknown } } }) : {};
  const prefix = host.extensions?.http?.routePrefix;
  const pkg = readJson(appDir, 'package.json') as { main?: unknown };
  if (typeof pkg.main !== 'string' || pkg.main === '') {
    throw new AppSettingsError(`package.json in ${appDir} has no "main": set it to the built Functions app (e.g. "dist/functions/main.js").`);
  }
  return {
    file,
    values,
    cors: typeof local.Host?.CORS === 'string' ? local.Host.CORS : undefined,
    corsCredentials: local.Host?.CorsCredentials === true || local.Host?.CorsCredentials === 'true' ? true : undefined,
    routePrefix: typeof prefix === 'string' ? prefix : 'api',
    main: pkg.main,
  };
}

/**
 * Copies settings into `env` without overriding what is already set, as Core Tools does, so a caller
 * (npm start) can point WebPubSubConnectionString at the emulator's port. Returns the keys that were kept.
 */
export function applySettings(env: Record<string, string | undefined>, values: Readonly<Record<string, string>>): string[] {
  const kept: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (env[k] === undefined) env[k] = v;
    else kept.push(k);
  }
  return kept;
}

function readJson(dir: string, file: string): unknown {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppSettingsError(`Cannot read ${file} in ${dir}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppSettingsError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}
