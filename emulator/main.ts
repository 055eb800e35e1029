import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './core/service-errors';
import { CliUsageError, parseCliArgs, USAGE, type CliOptions } from './cli';
import { DEFAULT_PORT, DEVELOPMENT_KEY, handlerForAllEvents, parseHubsConfig, readSampleSettings, withHandler, type ServiceHubSettings } from './config';
import { resolveLimits } from './limits';
import { createConsoleLog } from './log';
import { resolveSecuritySettings, type SecuritySettings } from './security-config';
import { startEmulator } from './server';
import { runSignalR, signalrOnly } from './signalr/cli-run';
import { parseSignalRConfig, type UpstreamRule } from './signalr/upstream-rules';
import { loadOrCreateLocalCa, type LocalCa } from './tls/local-ca';

/** The CLI: `node dist/emulator/main.js [--port n] [--upstream hub=url]… [--config file] [--key k]…` */
async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    const command = parseCliArgs(argv);
    if (command.kind === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    options = command.options;
  } catch (e) {
    if (e instanceof CliUsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }

  let hubs: Map<string, ServiceHubSettings>;
  let port: number;
  let keys: string[];
  let keySource: 'flag' | 'sample' | 'built-in';
  let security: SecuritySettings;
  let signalrRules: UpstreamRule[];
  try {
    const configJson = options.configPath ? readJson(options.configPath) : undefined;
    hubs = options.configPath ? parseHubsConfig(configJson, options.configPath) : new Map();
    signalrRules = options.configPath ? parseSignalRConfig(configJson, options.configPath) : [];
    security = resolveSecuritySettings(configJson, options, options.configPath);
    for (const u of options.upstreams) hubs = withHandler(hubs, u.hub, handlerForAllEvents(u.urlTemplate));
    const sample = findSampleSettings();
    const defaults = sample ? readSampleSettings(readFileSync(sample, 'utf8'), sample) : { port: DEFAULT_PORT, key: DEVELOPMENT_KEY };
    port = options.port ?? defaults.port;
    keys = options.keys.length > 0 ? [...options.keys] : [defaults.key];
    keySource = options.keys.length > 0 ? 'flag' : sample ? 'sample' : 'built-in';
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }

  let ca: LocalCa | undefined;
  if (security.tls) {
    try {
      ca = await loadOrCreateLocalCa(resolve(security.caDir));
    } catch (e) {
      process.stderr.write(`Cannot create or read the local CA in ${resolve(security.caDir)}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }

  const log = createConsoleLog(undefined, { quiet: options.quiet === true });
  const signalrSecurity = {
    rules: signalrRules,
    ...(ca ? { tls: { cert: ca.serverCertPem, key: ca.serverKeyPem } } : {}),
    ...(security.disableLocalAuth ? { disableLocalAuth: true } : {}),
  };
  if (options.service === 'signalr')
    return signalrOnly(options, port, keys, log, {
      ...signalrSecurity,
      ...(security.entra && ca ? { entra: { settings: security.entra, signing: { keyPem: ca.signingKeyPem, certPem: ca.signingCertPem } } } : {}),
    });
  let emulator;
  try {
    emulator = await startEmulator({
      port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      keys,
      hubs: Object.fromEntries([...hubs.values()].map((h) => [h.name, h])),
      ...(options.limits ? { limits: options.limits } : {}),
      log,
      ...(ca ? { tls: { cert: ca.serverCertPem, key: ca.serverKeyPem } } : {}),
      ...(security.disableLocalAuth ? { disableLocalAuth: true } : {}),
      ...(security.entra && ca ? { entra: { settings: security.entra, signing: { keyPem: ca.signingKeyPem, certPem: ca.signingCertPem } } } : {}),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') process.stderr.write(`Port ${port} is already in use; choose another with --port\n`);
    else if (code === 'EACCES') process.stderr.write(`Permission denied to listen on port ${port}; choose another with --port\n`);
    else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') process.stderr.write(`Cannot listen on host ${options.host}: ${code}\n`);
    else process.stderr.write(`Cannot start the emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  const where = options.host ?? 'localhost (127.0.0.1 and ::1)';
  const ws = ca ? 'wss' : 'ws';
  process.stdout.write(
    [
      `Local Web PubSub emulator listening on ${where}, port ${emulator.port}${ca ? ' (https and wss only)' : ''}`,
      // The development key is public; a key given with --key was chosen by the user, so printing it is fine too.
      security.disableLocalAuth
        ? `Local auth disabled (disableLocalAuth): access keys are refused. Service URI: ${emulator.endpoint}`
        : `Connection string: ${emulator.connectionString}`,
      !security.disableLocalAuth && keys.length > 1
        ? `Also accepting ${keys.length - 1} more key(s) given on the command line; ce-signature is signed with all ${keys.length}.`
        : '',
      security.disableLocalAuth
        ? ''
        : `Key source: ${keySource === 'flag' ? '--key' : keySource === 'sample' ? 'local.settings.sample.json' : 'built-in development key'}`,
      `Clients: ${ws}://localhost:${emulator.port}/client/hubs/<hub>?access_token=<jwt>   REST: ${emulator.endpoint}/api/   Health: ${emulator.endpoint}/api/health`,
      ...(ca ? describeTls(ca, emulator.port) : []),
      ...(emulator.authority ? describeAuthority(emulator.authority, emulator.endpoint) : []),
      describeLimits(options.limits),
      ...describeHubs(hubs),
      '',
    ]
      .filter((l, i, all) => l !== '' || i === all.length - 1)
      .join('\n'),
  );

  // Beside Web PubSub, SignalR Service shares its TLS certificate and its Microsoft Entra authority.
  const signalr =
    options.signalrPort !== undefined
      ? await runSignalR(options, options.signalrPort, keys, log, { ...signalrSecurity, ...(emulator.authority ? { authority: emulator.authority } : {}) })
      : undefined;
  if (signalr === null) {
    await emulator.close();
    return 1;
  }
  await new Promise<void>((resolveSignal) => {
    const stop = (signal: string) => {
      log(`${signal}: closing every connection`);
      resolveSignal();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await Promise.all([emulator.close(), signalr?.close()]);
  return 0;
}

/** How to trust the local CA: Node through NODE_EXTRA_CA_CERTS, browsers through their certificate settings. */
function describeTls(ca: LocalCa, port: number): string[] {
  return [
    `TLS: certificate for localhost, 127.0.0.1 and ::1 from the local CA ${ca.caPath}${ca.created.length > 0 ? ' (created now; reused on later runs)' : ''}`,
    `  CA SHA-256 fingerprint: ${ca.caFingerprint}`,
    `  Node.js clients: set NODE_EXTRA_CA_CERTS=${ca.caPath} before starting node`,
    `  Browsers: import ${ca.caPath} as a trusted certificate authority (Chrome/Edge: Settings > Privacy and security > Security >`,
    `    Manage certificates > Authorities > Import; Firefox: Settings > Privacy & Security > View Certificates > Authorities > Import),`,
    `    or open https://localhost:${port}/api/health once and accept the warning for this session.`,
  ];
}

function describeAuthority(authority: NonNullable<Awaited<ReturnType<typeof startEmulator>>['authority']>, endpoint: string): string[] {
  const s = authority.settings;
  return [
    `Local Microsoft Entra authority: tenant ${s.tenantId}`,
    `  Issuers: ${authority.issuerV2} (v2)  ${authority.issuerV1} (v1)   JWKS: ${authority.jwksUrlV2}`,
    `  Managed-identity endpoint: IDENTITY_ENDPOINT=${endpoint}/msi/token IDENTITY_HEADER=${s.identityHeader}`,
    ...s.managedIdentities.map((m) => `    ${m.name}: client id ${m.clientId}, principal id ${m.principalId}`),
    `  Web PubSub identity (signs upstream requests): principal id ${s.serviceIdentity.principalId}`,
    `  Role assignments: ${s.roleAssignments.map((r) => `${r.principalId} = ${r.role}`).join('; ') || 'none (every Entra REST call gets 403)'}`,
    `  Token lifetime: ${s.tokenLifetimeSeconds} s, clock skew tolerated: ${s.clockSkewSeconds} s`,
  ];
}

function describeLimits(given: CliOptions['limits']): string {
  const limits = resolveLimits(given);
  return `Limits: ${limits.maxBufferedBytes / (1024 * 1024)} MB buffered for all clients, ${limits.maxConnectionsPerUser} connections per user per hub (--max-buffered-mb, --max-connections-per-user)`;
}

function describeHubs(hubs: Map<string, ServiceHubSettings>): string[] {
  if (hubs.size === 0) return ['Hubs: none configured (clients may still connect to any hub; no event handlers). Use --upstream hub=url or --config.'];
  const lines = ['Hubs:'];
  for (const h of hubs.values()) {
    lines.push(`  ${h.name}: anonymousConnectPolicy=${h.anonymousConnectPolicy}, keepalive=${h.webSocketKeepAliveIntervalInSeconds}s`);
    h.eventHandlers.forEach((e, i) =>
      lines.push(
        `    ${i + 1}. ${e.urlTemplate.replace(/\?.*$/, '?…')}  user events: ${e.userEventPattern || '(none)'}  system: ${e.systemEvents.join(',') || '(none)'}` +
          (e.groupPresenceEvents?.eventNames.length
            ? `  group presence: ${e.groupPresenceEvents.eventNames.join(',')}${e.groupPresenceEvents.groupFilters ? ` in ${e.groupPresenceEvents.groupFilters.join(',')}` : ''}`
            : '') +
          (e.auth?.type === 'ManagedIdentity' ? `  auth: ManagedIdentity (resource ${e.auth.managedIdentity.resource})` : ''),
      ),
    );
  }
  return lines;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError([`${path}: not valid JSON`]);
  }
}

/** local.settings.sample.json: in the working directory or at the repo root next to dist/ (bundle at dist/emulator/main.js). */
function findSampleSettings(): string | undefined {
  const candidates = [
    resolve('local.settings.sample.json'),
    join(dirname(__dirname), '..', 'local.settings.sample.json'),
    join(__dirname, '..', 'local.settings.sample.json'),
  ];
  return candidates.find((p) => existsSync(p));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
