import { ConfigError } from './core/service-errors';
import { parseEntraSettings, type EntraSettings } from './entra/entra-settings';

/**
 * How the emulator authenticates, from the `--config` file's top level and the command line:
 * `"tls": true` / `--tls`, `"disableLocalAuth": true` / `--disable-local-auth`, `"entra": {…}` /
 * `--entra`. The local Entra authority implies TLS, because bearer tokens are only ever sent over
 * https (docs/protocol/auth.md §1.2).
 */
export interface SecuritySettings {
  readonly tls: boolean;
  /** Folder of the local CA, relative to the working directory unless absolute. */
  readonly caDir: string;
  readonly disableLocalAuth: boolean;
  readonly entra?: EntraSettings;
}

export const DEFAULT_CA_DIR = '.local-ca';

export function resolveSecuritySettings(
  json: unknown,
  flags: { readonly tls?: boolean; readonly caDir?: string; readonly disableLocalAuth?: boolean; readonly entra?: boolean },
  source = 'config',
): SecuritySettings {
  const raw = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const problems: string[] = [];
  for (const key of ['tls', 'disableLocalAuth'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean') problems.push(`${source}: "${key}" must be true or false`);
  }
  let entra: EntraSettings | undefined;
  if (flags.entra || raw.entra !== undefined) {
    try {
      entra = parseEntraSettings(raw.entra, `${source}: entra`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tls: flags.tls === true || raw.tls === true || entra !== undefined,
    caDir: flags.caDir ?? DEFAULT_CA_DIR,
    disableLocalAuth: flags.disableLocalAuth === true || raw.disableLocalAuth === true,
    ...(entra ? { entra } : {}),
  };
}
