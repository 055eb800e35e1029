/**
 * `npm start`: the whole system on one machine — the local Web PubSub emulator and the Functions app
 * (local host, or Core Tools with --func), wired to each other, plus the chat page.
 * Ports: PORT (functions, default 7071) and EMULATOR_PORT (default 8080); 0 picks free ones.
 * `--quiet` (npm start -- --quiet): no log line per connection, event or request.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { routes } from '../functions/routes';
import { AppSettingsError, readAppSettings } from '../local-host/app-settings';
import { parseConnectionString } from '../shared/config/connection-string';
import { describeExit, startChild, type ManagedChild } from './child-process';
import { findFreePorts, isPortFree } from './ports';
import { isExecutableFile, isOnPath, shutdownSignals, unexpectedExitDelayMs } from './process-tree';
import { misconfiguredMessage, ReadinessError, waitForHttp } from './readiness';
import { loadOrCreateLocalCa } from '../emulator/tls/local-ca';
import { formatKeylessBanner, planKeylessStack } from './keyless-stack-plan';
import { formatPorts, planStack, quietChild, readPort, splitHubs, StartError } from './stack-plan';
import { formatBothServicesBanner, readSecondPort, withBothServices } from './signalr-plan';
import { waitForHttps } from './tls-readiness';

const root = resolve(__dirname, '..');
/** Started children, so that even an unexpected error stops them before this process exits. */
const children: ManagedChild[] = [];
const say = (line: string) => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The development key the emulator uses by default (local.settings.sample.json), so both sides agree. */
function readDevKey(): string {
  const sample = readAppSettings(root, 'local.settings.sample.json');
  const value = sample.values.WebPubSubConnectionString;
  const key = value ? parseConnectionString(value).accessKey : undefined;
  if (!key) throw new StartError("local.settings.sample.json must hold WebPubSubConnectionString with an AccessKey (the emulator's development key).");
  return key;
}

/** PORT, EMULATOR_PORT and (unless keyless) EMULATOR_SECOND_PORT: 0 picks free ones; every port must be free. */
async function choosePorts(wanted: readonly (readonly [number, string])[]): Promise<number[]> {
  const free = await findFreePorts(wanted.length);
  const ports = wanted.map(([port], i) => (port === 0 ? free[i]! : port));
  for (let i = 0; i < ports.length; i++) {
    const twin = ports.findIndex((p, j) => j < i && p === ports[i]);
    if (twin >= 0) throw new StartError(`${wanted[twin]![1]} and ${wanted[i]![1]} are both ${ports[i]}; choose different ports.`);
  }
  for (const [i, port] of ports.entries()) {
    const variable = wanted[i]![1];
    if (!(await isPortFree(port)))
      throw new StartError(`Port ${port} is already in use. Set ${variable} to another port (e.g. ${variable}=0 for any free port).`);
  }
  return ports;
}

/** A whole number of seconds from an environment variable (tests shorten token lifetimes), or undefined. */
function readSeconds(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new StartError(`${name} must be a whole number of seconds, at least ${min}; got "${raw}".`);
  return Number(raw);
}

async function main(): Promise<void> {
  const useCoreTools = process.argv.includes('--func');
  const keyless = process.argv.includes('--keyless');
  if (keyless && useCoreTools) fail('--keyless runs the local host (it emulates App Service Authentication); it cannot be combined with --func.');
  if (useCoreTools && !isOnPath('func', process.env, process.platform, isExecutableFile)) {
    fail(
      "Azure Functions Core Tools ('func') is not on PATH. Install it (npm install -g azure-functions-core-tools@4, " +
        'or see https://learn.microsoft.com/azure/azure-functions/functions-run-local), or run "npm start" to use the built-in local host.',
    );
  }
  for (const file of ['dist/emulator/main.js', 'dist/functions/main.js', ...(useCoreTools ? [] : ['dist/local-host/main.js'])]) {
    if (!existsSync(join(root, file))) fail(`${file} is missing. Run "npm run build" first (npm start does it for you).`);
  }

  const settings = readAppSettings(root);
  const env = process.env;
  const configuredEmulatorPort = readPort(env, 'EMULATOR_PORT', 8080);
  const wanted: [number, string][] = [
    [readPort(env, 'PORT', 7071), 'PORT'],
    [configuredEmulatorPort, 'EMULATOR_PORT'],
  ];
  // The emulator serves the other service (SignalR, or Web PubSub under --signalr) on a second port; keyless, only
  // with --signalr (`npm run start:keyless -- --signalr`, or `npm run start:signalr -- --keyless`), and SignalR there.
  const signalrFlag = process.argv.includes('--signalr');
  if (!keyless || signalrFlag) wanted.push([readSecondPort(env, configuredEmulatorPort), 'EMULATOR_SECOND_PORT']);
  const [functionsPort, emulatorPort, secondPort] = (await choosePorts(wanted)) as [number, number, number | undefined];
  const keylessStack = keyless
    ? await planKeyless(functionsPort, emulatorPort, settings.routePrefix, splitHubs(env.WebPubSubHub ?? settings.values.WebPubSubHub), secondPort)
    : undefined;
  const basePlan = keylessStack
    ? undefined
    : planStack({
        useCoreTools,
        functionsPort,
        emulatorPort,
        accessKey: readDevKey(),
        hubs: splitHubs(env.WebPubSubHub ?? settings.values.WebPubSubHub),
        routePrefix: settings.routePrefix,
        eventHandlerRoute: routes.eventHandler,
        negotiateAuth: env.NegotiateAuth,
        env,
        nodePath: process.execPath,
      });
  // Both services always; npm run start:signalr puts SignalR on EMULATOR_PORT and the page on SignalR.
  const devPlan = basePlan
    ? withBothServices(basePlan, {
        accessKey: readDevKey(),
        hubs: splitHubs(env.SignalRHub ?? settings.values.SignalRHub),
        eventsRoute: routes.signalrEvents,
        chatService: signalrFlag ? 'signalr' : 'webpubsub',
        secondPort: secondPort!,
      })
    : undefined;
  const plan = keylessStack?.plan ?? devPlan!;

  // Every port the emulator serves, keyless or not: the banner waits for each of them.
  const emulatorPorts = keylessStack ? keylessStack.plan.emulatorPorts : [emulatorPort, secondPort!];
  say(`Starting ${plan.emulator.description} on ${formatPorts(emulatorPorts)} and ${plan.functions.description} on port ${functionsPort}…`);
  // --quiet: no line per connection, event or request (docs/local-development.md); problems still show.
  const quiet = process.argv.includes('--quiet');
  if (quiet && useCoreTools) say('--quiet: the emulator is quiet; Core Tools still logs every invocation (set its log level in host.json).');
  for (const spec of [plan.emulator, plan.functions]) children.push(startChild(quiet ? quietChild(spec) : spec, root, process.stdout, process.stderr));

  let shuttingDown = false;
  const ready = new AbortController();
  const shutdown = async (code: number, message?: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    ready.abort(new Error('stopping'));
    if (message) process.stderr.write(`${message}\n`);
    await Promise.all(children.map((c) => c.stop()));
    say('Stopped.');
    process.exit(code);
  };

  for (const child of children) {
    void child.exited.then(async (exit) => {
      await new Promise((r) => setTimeout(r, unexpectedExitDelayMs(process.platform)));
      if (shuttingDown) return;
      void shutdown(
        1,
        `${child.spec.description} ("${child.spec.name}") stopped unexpectedly (${describeExit(exit)}); stopping the rest. See its [${child.spec.name}] lines above.`,
      );
    });
  }
  // SIGHUP (the terminal closed) matters as much as Ctrl-C: on POSIX the children are in their own
  // process groups, so they would outlive us otherwise.
  for (const signal of shutdownSignals(process.platform)) {
    const ctrlKey = signal === 'SIGINT' ? 'Ctrl-C' : signal === 'SIGBREAK' ? 'Ctrl-Break' : undefined;
    process.on(signal, () => void shutdown(0, ctrlKey ? `\n${ctrlKey}: stopping the emulator and the Functions app…` : undefined));
  }

  try {
    await Promise.all([
      ...(keylessStack
        ? keylessStack.plan.emulatorHealthUrls.map((url) => waitForHttps(url, keylessStack.caPem, ready.signal))
        : emulatorPorts.map((port) => waitForHttp(`http://localhost:${port}/api/health`, (s) => s === 200, ready.signal))),
      // Any answer from negotiate other than 404/5xx means the app is loaded and routed (401 when NegotiateAuth is not dev).
      // A bad setting: the app answers 500 naming it (functions/misconfigured.ts); waiting would not help.
      waitForHttp(`${plan.apiBase}/${routes.negotiate}?userId=npm-start-check`, (s) => s !== 404 && s < 500, ready.signal, undefined, misconfiguredMessage),
    ]);
  } catch (err) {
    if (err instanceof ReadinessError) {
      await shutdown(1, `The Functions app started but cannot serve requests: ${err.message}\nSee its "Configuration error" line above.`);
    }
    return; // shutdown is already under way and explains why
  }
  for (const line of keylessStack ? formatKeylessBanner(keylessStack.plan) : formatBothServicesBanner(devPlan!)) say(line);
}

/**
 * `--keyless`: the CA exists before any child starts (the app's NODE_EXTRA_CA_CERTS must name an
 * existing file when Node starts), and the emulator's config is written where the CA lives (git-ignored).
 * LOCAL_CA_DIR moves that folder; KEYLESS_TOKEN_LIFETIME_SECONDS and KEYLESS_CLOCK_SKEW_SECONDS shorten
 * token lifetimes (tests of token refresh).
 */
async function planKeyless(functionsPort: number, emulatorPort: number, routePrefix: string, hubs: string[], signalrPort?: number) {
  const env = process.env;
  const caDir = resolve(env.LOCAL_CA_DIR?.trim() || join(root, '.local-ca'));
  const ca = await loadOrCreateLocalCa(caDir);
  const emulatorConfigPath = join(caDir, 'keyless-emulator.json');
  const tokenLifetimeSeconds = readSeconds(env, 'KEYLESS_TOKEN_LIFETIME_SECONDS', 1);
  const clockSkewSeconds = readSeconds(env, 'KEYLESS_CLOCK_SKEW_SECONDS', 0);
  const plan = planKeylessStack({
    functionsPort,
    emulatorPort,
    caDir,
    caPath: ca.caPath,
    emulatorConfigPath,
    hubs,
    routePrefix,
    eventHandlerRoute: routes.eventHandler,
    identityHeader: randomBytes(24).toString('base64url'),
    ...(tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds } : {}),
    ...(clockSkewSeconds !== undefined ? { clockSkewSeconds } : {}),
    env,
    nodePath: process.execPath,
    ...(signalrPort !== undefined ? { signalr: { port: signalrPort, eventsRoute: routes.signalrEvents } } : {}),
  });
  // Holds this run's IDENTITY_HEADER: owner-only, in the git-ignored CA folder.
  writeFileSync(emulatorConfigPath, JSON.stringify(plan.emulatorConfig, null, 2), { mode: 0o600 });
  chmodSync(emulatorConfigPath, 0o600);
  return { plan, caPem: ca.caPem };
}

main().catch(async (err: unknown) => {
  await Promise.all(children.map((c) => c.stop()));
  if (err instanceof StartError || err instanceof AppSettingsError) fail(err.message);
  fail(`npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
});
