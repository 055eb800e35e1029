import type { CliOptions } from '../cli';
import { startSignalREmulator, type RunningSignalREmulator } from './signalr-server';
import type { UpstreamRule } from './upstream-rules';

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
  log: (line: string) => void,
  /** From the `signalr` object of --config (upstream-rules.ts). */
  rules: readonly UpstreamRule[] = [],
): Promise<RunningSignalREmulator | null> {
  const upstreams = signalrUpstreamsOf(options);
  let running: RunningSignalREmulator;
  try {
    running = await startSignalREmulator({
      port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      keys,
      upstreams: Object.fromEntries(upstreams.map((u) => [u.hub, u.urlTemplate])),
      ...(rules.length > 0 ? { upstreamRules: rules } : {}),
      log,
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
      `Connection string (AzureSignalRConnectionString): ${running.connectionString}`,
      `Clients: POST ${running.endpoint}/client/negotiate?hub=<hub>   REST: ${running.endpoint}/api/hubs/<hub>/…?api-version=2022-06-01   Health: ${running.endpoint}/api/health`,
      upstreams.length + rules.length === 0
        ? 'Upstream: none (use --signalr-upstream hub=url, or signalr.upstream.templates in --config; the URL may contain {hub}, {category}, {event})'
        : `Upstream (first match): ${[
            ...rules.map((r) => `hub ${r.hubPattern} category ${r.categoryPattern} event ${r.eventPattern} -> ${r.urlTemplate.replace(/\?.*$/, '?…')}`),
            ...upstreams.map((u) => `${u.hub} -> ${u.urlTemplate.replace(/\?.*$/, '?…')}`),
          ].join('; ')}`,
      '',
    ].join('\n'),
  );
  return running;
}

/** `--service signalr`: only SignalR Service, on --port, until SIGINT/SIGTERM. */
export async function signalrOnly(
  options: CliOptions,
  port: number,
  keys: readonly string[],
  log: (line: string) => void,
  rules: readonly UpstreamRule[] = [],
): Promise<number> {
  const running = await runSignalR(options, port, keys, log, rules);
  if (running === null) return 1;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.close();
  return 0;
}
