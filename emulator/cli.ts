import { validateUrlTemplate } from './config';
import { isValidHubName } from './core/name-rules';

/** What the command line asked for; main.ts resolves defaults (sample settings, config file). */
export interface CliOptions {
  readonly port?: number;
  readonly host?: string;
  readonly upstreams: readonly { hub: string; urlTemplate: string }[];
  /** `--signalr-upstream`: the SignalR side's upstream URL templates (with --signalr-port, where --upstream is Web PubSub's). */
  readonly signalrUpstreams?: readonly { hub: string; urlTemplate: string }[];
  readonly configPath?: string;
  /** Primary first; every key signs `ce-signature`, any key verifies tokens. */
  readonly keys: readonly string[];
  /** `signalr`: serve the SignalR Service protocol on --port instead of Web PubSub. */
  readonly service?: 'webpubsub' | 'signalr';
  /** Also serve SignalR Service on this port, beside Web PubSub. */
  readonly signalrPort?: number;
  /** HTTPS/WSS with the local CA's certificate. */
  readonly tls?: boolean;
  /** Where the local CA and the authority's signing key are kept (default `.local-ca`). */
  readonly caDir?: string;
  readonly disableLocalAuth?: boolean;
  /** Run the local Microsoft Entra authority. */
  readonly entra?: boolean;
  /** docs/emulator-limits.md; unset = the defaults. */
  readonly limits?: { maxBufferedBytes?: number; maxConnectionsPerUser?: number };
  /** No line per connection, delivered event or answered REST call; refusals and failures still show. */
  readonly quiet?: boolean;
}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: CliOptions };

/** A bad flag: main prints the message, the usage, and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE = `Usage: node dist/emulator/main.js [options]

Local Azure Web PubSub service (client WebSockets, REST data plane, CloudEvents upstream).

Options:
  --port <n>              port to listen on (default: from local.settings.sample.json, else 8080; 0 = any free port)
  --host <address>        address to listen on (default: loopback, both 127.0.0.1 and ::1; use 0.0.0.0 or :: for all)
  --upstream <hub>=<url>  event handler for a hub: every system event and every user event ("*").
                          The URL may contain {hub} and {event}. Repeatable.
  --config <file.json>    hub settings: {"hubs":{"chat":{"eventHandlers":[{"urlTemplate":"…",
                          "userEventPattern":"*","systemEvents":["connect","connected","disconnected"],
                          "groupPresenceEvents":{"eventNames":["joined","left"],"groupFilters":["room-*"]}}],
                          "anonymousConnectPolicy":"deny","webSocketKeepAliveIntervalInSeconds":20}}}
                          and SignalR upstream templates, tried in order: {"signalr":{"upstream":{"templates":
                          [{"hubPattern":"chat","categoryPattern":"messages","eventPattern":"*","urlTemplate":"…"}]}}}
  --key <key>             access key (repeatable: the first is primary; later ones are accepted too)
  --secondary-key <key>   a second access key, for key-rotation tests
  --service <name>        webpubsub (default) or signalr: which service --port emulates (SignalR Service
                          in Serverless mode; --upstream then names its upstream URL template)
  --signalr-port <n>      also emulate SignalR Service on this port, beside Web PubSub
  --signalr-upstream <hub>=<url>
                          upstream URL template of a SignalR hub (may contain {hub}, {category}, {event}).
                          Repeatable. With --signalr-port, --upstream stays Web PubSub's event handler.
  --max-buffered-mb <n>   memory for messages held for all clients together (unacknowledged reliable
                          messages, unread outbound data, frames waiting for an event handler); at the
                          limit the connection holding the most is closed with 1008 (default: 256)
  --max-connections-per-user <n>
                          connections one user id may hold in one hub; one more gets HTTP 429 (default: 100)
  --tls                   serve https:// and wss:// with a certificate from a local CA (kept in --ca-dir)
  --ca-dir <dir>          folder of the local CA, the TLS certificate and the Entra signing key
                          (default: .local-ca; created once, then reused)
  --disable-local-auth    as disableLocalAuth on the Azure resource: access keys are refused, no ce-signature
  --entra                 run a local Microsoft Entra authority (needs --tls): managed-identity endpoint,
                          Entra tokens for REST with Web PubSub role checks, ManagedIdentity upstream auth.
                          Settings: the "entra" object of --config (see docs/keyless.md)
  --quiet                 no line per connection, delivered event or answered REST call (refusals,
                          failures and errors are still written)
  -h, --help              print this help
`;

const VALUE_FLAGS = new Set([
  '--port',
  '--host',
  '--upstream',
  '--config',
  '--key',
  '--secondary-key',
  '--max-buffered-mb',
  '--max-connections-per-user',
  '--ca-dir',
  '--service',
  '--signalr-port',
  '--signalr-upstream',
]);
const SWITCHES = new Set(['--tls', '--disable-local-auth', '--entra', '--quiet']);

/** Parses argv (without `node` and the script). Accepts `--flag value` and `--flag=value`. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let port: number | undefined;
  let host: string | undefined;
  let configPath: string | undefined;
  const upstreams: { hub: string; urlTemplate: string }[] = [];
  const signalrUpstreams: { hub: string; urlTemplate: string }[] = [];
  const keys: string[] = [];
  const secondary: string[] = [];
  let service: 'webpubsub' | 'signalr' | undefined;
  let signalrPort: number | undefined;
  let caDir: string | undefined;
  const switches = new Set<string>();
  const limits: { maxBufferedBytes?: number; maxConnectionsPerUser?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (SWITCHES.has(arg)) {
      switches.add(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new CliUsageError(arg.startsWith('-') ? `Unknown option ${flag}` : `Unexpected argument "${arg}"`);
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && VALUE_FLAGS.has(next.split('=')[0]!))) throw new CliUsageError(`${flag} needs a value`);
      value = next;
      i++;
    }
    switch (flag) {
      case '--port':
      case '--signalr-port': {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`${flag} must be a whole number from 0 to 65535, got "${value}"`);
        if (flag === '--port') port = n;
        else signalrPort = n;
        break;
      }
      case '--service':
        if (value !== 'webpubsub' && value !== 'signalr') throw new CliUsageError(`--service must be webpubsub or signalr, got "${value}"`);
        service = value;
        break;
      case '--host':
        if (value.trim() === '') throw new CliUsageError('--host needs an address');
        host = value;
        break;
      case '--config':
        configPath = value;
        break;
      case '--ca-dir':
        if (value.trim() === '') throw new CliUsageError('--ca-dir needs a folder');
        caDir = value;
        break;
      case '--key':
      case '--secondary-key':
        if (value.trim() === '') throw new CliUsageError(`${flag} must not be empty`);
        (flag === '--key' ? keys : secondary).push(value);
        break;
      case '--max-buffered-mb':
        limits.maxBufferedBytes = positiveWholeNumber(flag, value) * 1024 * 1024;
        break;
      case '--max-connections-per-user':
        limits.maxConnectionsPerUser = positiveWholeNumber(flag, value);
        break;
      case '--upstream':
      case '--signalr-upstream': {
        const sep = value.indexOf('=');
        const hub = sep > 0 ? value.slice(0, sep) : '';
        const urlTemplate = sep > 0 ? value.slice(sep + 1) : '';
        const example = flag === '--upstream' ? 'chat=http://localhost:7071/api/eventhandler' : 'chat=http://localhost:7071/api/signalr/events';
        if (!isValidHubName(hub) && !(flag === '--signalr-upstream' && hub === '*'))
          throw new CliUsageError(`${flag} expects <hub>=<url>, e.g. ${example}; got "${value}"`);
        const problem = validateUrlTemplate(urlTemplate);
        if (problem) throw new CliUsageError(`${flag} ${hub}: ${problem}`);
        (flag === '--upstream' ? upstreams : signalrUpstreams).push({ hub, urlTemplate });
        break;
      }
    }
  }
  const allKeys = [...keys, ...secondary];
  return {
    kind: 'run',
    options: {
      ...(port !== undefined ? { port } : {}),
      ...(host !== undefined ? { host } : {}),
      ...(configPath !== undefined ? { configPath } : {}),
      upstreams,
      ...(signalrUpstreams.length > 0 ? { signalrUpstreams } : {}),
      keys: allKeys,
      ...(service !== undefined ? { service } : {}),
      ...(signalrPort !== undefined ? { signalrPort } : {}),
      ...(switches.has('--tls') ? { tls: true } : {}),
      ...(caDir !== undefined ? { caDir } : {}),
      ...(switches.has('--disable-local-auth') ? { disableLocalAuth: true } : {}),
      ...(switches.has('--entra') ? { entra: true } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      ...(switches.has('--quiet') ? { quiet: true } : {}),
    },
  };
}

function positiveWholeNumber(flag: string, value: string): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}
