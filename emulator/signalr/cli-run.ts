import type { Log } from '../log';
import type { CliOptions } from '../cli';
import { startSignalREmulator, type RunningSignalREmulator, type SignalREmulatorOptions } from './signalr-server';
import type { UpstreamRule } from './upstream-rules';

/** What `--config` (its `signalr` object, `tls`, `disableLocalAuth`, `entra`) adds to the command line. */
export type SignalRSecurity = Pick<SignalREmulatorOptions, 'tls' | 'disableLocalAuth' | 'authority' | 'entra'> & {
  /** The config's `signalr.upstream.templates` (upstream-rules.ts), tried before `--signalr-upstream`. */
  readonly rules?: readonly UpstreamRule[];
};

/**
 * The command-line side of the SignalR emulator: `--service signalr` (alone on --port) or
 * `--signalr-port n` (beside Web PubSub). `--signalr-upstream hub=url` gives a hub's upstream URL
 * template; alone (`--service signalr`), `--upstream hub=url` does too.
 */

/** The SignalR side's upstream templates: beside Web PubSub, --upstream belongs to Web PubSub. */
export function signalrUpstreamsOf(options: CliOptions): { hub: string; urlTemplate: string }[] {
  return [...(options.service === 'signalr' ? options.upstreams : []), ...(options.signalrUpstreams ?? [])];
}

/** Starts it and prints where; null (after printing why) when it cannot listen. */
export async function runSignalR(
  options: CliOptions,
  port: number,
  keys: readonly string[],
  log: Log,
  security: SignalRSecurity = {},
): Promise<RunningSignalREmulator | null> {
  const upstreams = signalrUpstreamsOf(options);
  let running: RunningSignalREmulator;
  const { rules = [], ...auth } = security;
  try {
    running = await startSignalREmulator({
      port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      keys,
      upstreams: Object.fromEntries(upstreams.map((u) => [u.hub, u.urlTemplate])),
      ...(rules.length > 0 ? { upstreamRules: rules } : {}),
      log,
      ...auth,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use; choose another SignalR port\n`
        : `Cannot start the SignalR emulator: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return null;
  }
  process.stdout.write(
    [
      `Local Azure SignalR Service emulator (Serverless mode) listening on ${options.host ?? '127.0.0.1'}, port ${running.port}`,
      security.disableLocalAuth
        ? `Local auth disabled (disableLocalAuth): access keys are refused. Service URI (AzureSignalRConnectionString__serviceUri): ${running.endpoint}`
        : `Connection string (AzureSignalRConnectionString): ${running.connectionString}`,
      `Clients: POST ${running.endpoint}/client/negotiate?hub=<hub>   REST: ${running.endpoint}/api/hubs/<hub>/…?api-version=2022-06-01   Health: ${running.endpoint}/api/health`,
      ...(running.authority
        ? [
            `Microsoft Entra: REST and ${running.endpoint}/api/auth/accessKey take tokens for https://signalr.azure.com from ${running.authority.issuerV1}; ` +
              `SignalR Service identity (upstream tokens): principal id ${running.authority.settings.signalRIdentity.principalId}`,
          ]
        : []),
      upstreams.length + rules.length === 0
        ? 'Upstream: none (use --signalr-upstream hub=url, or signalr.upstream.templates in --config; the URL may contain {hub}, {category}, {event})'
        : `Upstream (first match): ${[
            ...rules.map(
              (r) =>
                `hub ${r.hubPattern} category ${r.categoryPattern} event ${r.eventPattern} -> ${r.urlTemplate.replace(/\?.*$/, '?…')}` +
                (r.managedIdentityResource ? ` (auth: ManagedIdentity, resource ${r.managedIdentityResource})` : ''),
            ),
            ...upstreams.map((u) => `${u.hub} -> ${u.urlTemplate.replace(/\?.*$/, '?…')}`),
          ].join('; ')}`,
      '',
    ].join('\n'),
  );
  return running;
}

/** `--service signalr`: only SignalR Service, on --port, until SIGINT/SIGTERM. */
export async function signalrOnly(options: CliOptions, port: number, keys: readonly string[], log: Log, security: SignalRSecurity = {}): Promise<number> {
  const running = await runSignalR(options, port, keys, log, security);
  if (running === null) return 1;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.close();
  return 0;
}
