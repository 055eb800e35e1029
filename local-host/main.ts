/**
 * The local Functions host: runs the app in package.json `main` without Azure Functions Core Tools.
 * Usage: node dist/local-host/main.js [--port N] [--app DIR] [--static DIR] [--max-body BYTES]
 *   --port     default: PORT, else 7071; 0 picks a free port
 *   --app      the app folder (package.json, host.json, local.settings.json); default: the current folder
 *   --static   a folder served at `/` for paths no function claims (npm start: the chat page)
 *   --max-body request body limit in bytes (default 100 MB, the Functions host's default); larger → 413
 *   --headers-timeout  ms a client may take to send its request headers (default 20 000); slower → 408 and close
 *   --request-timeout  ms a client may take to send its whole request (default 300 000, room for 100 MB bodies)
 *   --easyauth  App Service Authentication in front of the app, as the Static Web Apps CLI emulates it:
 *               a local sign-in form at /.auth/login/aad, the AppServiceAuthSession cookie, /.auth/me,
 *               /.auth/logout, the x-ms-client-principal* headers, and WEBSITE_AUTH_ENABLED=True for the app
 *   --easyauth-tenant-id / --easyauth-client-id  the tenant (tid, iss) and sign-in app (aud) in the
 *               signed-in users' claims (defaults: fixed local GUIDs)
 *   --quiet     no "Executed 'Functions.…' (Succeeded…)" line per request; failures, warnings and the
 *               app's own log lines still show
 */
import { createServer } from 'node:http';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveMainFiles } from './app-entry';
import { AppSettingsError, applySettings, readAppSettings } from './app-settings';
import { createCoreRuntime } from './core-runtime';
import type { RpcLogCategory, RpcLogLevel } from './core-types';
import { createEasyAuth } from './easy-auth/endpoints';
import { parseCorsPolicy } from './host-cors';
import { createConsoleLog, writeRuntimeLog } from './host-log';
import { installCoreModule } from './install-core-module';
import { buildRouteTable } from './route-table';
import { createRequestListener, describe } from './server';

const log = createConsoleLog();

/** A problem the user must fix: one line, no stack, exit 1. */
function fail(message: string): never {
  // Logged lines are batched; they belong before this one (tests and users read the last line).
  log.flush();
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const usage =
  'Usage: node dist/local-host/main.js [--port N] [--app DIR] [--static DIR] [--max-body BYTES] [--headers-timeout MS] [--request-timeout MS] [--easyauth [--easyauth-tenant-id GUID] [--easyauth-client-id GUID]] [--quiet]';

/** Claims of the local sign-in when no tenant or client id is given: recognisably not a real tenant. */
const LOCAL_TENANT_ID = '00000000-0000-4000-8000-00000000e7a1';
const LOCAL_CLIENT_ID = '00000000-0000-4000-8000-0000000ea5e1';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Slow-loris bounds: a client trickling headers or a body cannot hold a socket longer than these. */
const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

function readArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        app: { type: 'string' },
        static: { type: 'string' },
        'max-body': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        easyauth: { type: 'boolean' },
        'easyauth-tenant-id': { type: 'string' },
        'easyauth-client-id': { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${usage}`);
  }
}

async function main(): Promise<void> {
  const args = readArgs();
  const maxBodyBytes = args['max-body'] === undefined ? undefined : Number(args['max-body']);
  if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0))
    fail(`--max-body must be a positive number of bytes, got "${args['max-body']}".`);
  const timeoutArg = (name: 'headers-timeout' | 'request-timeout', fallback: number): number => {
    const text = args[name];
    if (text === undefined) return fallback;
    const ms = Number(text);
    if (!(Number.isInteger(ms) && ms > 0)) fail(`--${name} must be a positive number of milliseconds, got "${text}".`);
    return ms;
  };
  const headersTimeout = timeoutArg('headers-timeout', DEFAULT_HEADERS_TIMEOUT_MS);
  const requestTimeout = Math.max(timeoutArg('request-timeout', DEFAULT_REQUEST_TIMEOUT_MS), headersTimeout);
  const portText = args.port ?? (process.env.PORT || '7071');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number (0-65535), got "${portText}".`);
  const appDir = resolve(args.app ?? process.cwd());
  const staticDir = args.static ? resolve(args.static) : undefined;

  let settings;
  try {
    settings = readAppSettings(appDir);
  } catch (err) {
    if (err instanceof AppSettingsError) fail(err.message);
    throw err;
  }
  for (const name of ['easyauth-tenant-id', 'easyauth-client-id'] as const) {
    const value = args[name];
    if (value !== undefined && !args.easyauth) fail(`--${name} only applies with --easyauth.`);
    if (value !== undefined && !GUID.test(value)) fail(`--${name} must be a GUID, got "${value}".`);
  }
  const easyAuth = args.easyauth
    ? createEasyAuth({ directory: { tenantId: args['easyauth-tenant-id'] ?? LOCAL_TENANT_ID, clientId: args['easyauth-client-id'] ?? LOCAL_CLIENT_ID } })
    : undefined;
  // The platform sets this when App Service Authentication is on (shared/config.ts checks it in Azure).
  if (easyAuth) process.env.WEBSITE_AUTH_ENABLED = 'True';
  const kept = applySettings(process.env, settings.values);
  if (settings.file) {
    const note = settings.file === 'local.settings.json' ? '' : ' (no local.settings.json; copy the sample to change settings)';
    log.info(`Settings: ${settings.file}${note}${kept.length ? `; kept from the environment: ${kept.join(', ')}` : ''}`);
  } else {
    log.info('Settings: no local.settings.json found; using the environment only.');
  }

  // Log hooks (app.hook.log) see every log first and may rewrite user logs, as in the worker.
  const emitLog = (level: RpcLogLevel, category: RpcLogCategory, message: string) => {
    const ctx = { level, category, message, hookData: {}, appHookData: runtime.appHookData };
    for (const hook of runtime.hooks('log')) hook(ctx);
    writeRuntimeLog(log, category === 'user' ? ctx.level : level, category, category === 'user' ? ctx.message : message);
  };
  const runtime = createCoreRuntime(emitLog);
  installCoreModule(runtime.exports);

  const files = resolveMainFiles(appDir, settings.main);
  if (files.length === 0) fail(`package.json "main" (${settings.main}) matches no file in ${appDir}. Run "npm run build" first.`);
  for (const file of files) {
    try {
      // The app is loaded by path at run time, as the Functions worker loads it (never bundled with the host).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } catch (err) {
      // e.g. shared/config/app-config.ts ConfigError: its message already names the setting to fix.
      fail(`The Functions app failed to load (${relative(appDir, file)}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  runtime.lockRegistrations();

  const model = runtime.programmingModel();
  // As the worker does after loading: this also locks app.setup().
  const capabilities = model?.getCapabilities ? await model.getCapabilities({}) : {};
  if (capabilities.HttpUri) {
    fail('This app enables HTTP streaming (app.setup({ enableHttpStream: true })), which the local host does not support. Use Core Tools (func start).');
  }

  let table;
  try {
    table = buildRouteTable(
      [...runtime.registrations.values()].map((r) => r.metadata),
      settings.routePrefix,
    );
  } catch (err) {
    fail(`A function route cannot be served by the local host: ${(err as Error).message}`);
  }
  for (const skipped of table.unsupported) {
    log.warn(`${skipped.functionName}: ${skipped.triggerType} is not supported by the local host (HTTP triggers only); skipped.`);
  }

  for (const hook of runtime.hooks('appStart')) {
    await hook({ hookData: runtime.appLifecycleHookData, appHookData: runtime.appHookData, functionAppDirectory: appDir });
  }

  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // Node checks both timeouts on this interval (default 30 s); check often enough for them to hold.
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    createRequestListener({
      runtime,
      table,
      cors: parseCorsPolicy(settings.cors, settings.corsCredentials),
      staticDir,
      maxBodyBytes,
      log,
      quiet: args.quiet === true,
      ...(easyAuth ? { easyAuth } : {}),
      runtimeLog: emitLog,
    }),
  );
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`Port ${port} is already in use. Set PORT to another port.`);
    if (err.code === 'EACCES') fail(`Port ${port} needs elevated rights. Set PORT to a port above 1024.`);
    fail(`The local Functions host could not listen on port ${port}: ${err.message}`);
  });
  server.listen(port, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const base = `http://localhost:${actual}`;
    log.info(`Functions (local host, ${table.routes.length} HTTP function${table.routes.length === 1 ? '' : 's'}):`);
    if (table.routes.length === 0) log.info('  No HTTP functions found.');
    // In registration order, as the app lists them (table.routes is in matching order).
    const order = [...runtime.registrations.keys()];
    const listed = [...table.routes].sort((a, b) => order.indexOf(a.functionName) - order.indexOf(b.functionName));
    for (const route of listed) {
      const methods = route.methods.length ? route.methods.join(',') : 'all methods';
      log.info(`  ${route.functionName}: [${methods}] ${base}/${route.template}`);
    }
    if (staticDir) log.info(`Static files: ${base}/ (from ${relative(process.cwd(), staticDir) || '.'})`);
    if (easyAuth) log.info(`App Service Authentication (local sign-in form): ${base}/.auth/login/aad, ${base}/.auth/me, ${base}/.auth/logout`);
    log.info(`Host listening on ${base}`);
    // The listing is on stdout before the parent hears "ready" (the log batches lines).
    log.flush();
    // A parent started with an IPC channel (npm start, tests) learns the port without parsing text.
    process.send?.({ type: 'ready', port: actual });
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const hook of runtime.hooks('appTerminate')) {
      try {
        await hook({ hookData: runtime.appLifecycleHookData, appHookData: runtime.appHookData });
      } catch (err) {
        log.error(`appTerminate hook failed: ${describe(err)}`);
      }
    }
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

main().catch((err: unknown) => {
  log.flush();
  process.stderr.write(`The local Functions host stopped: ${describe(err)}\n`);
  process.exit(1);
});
