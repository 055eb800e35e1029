// Starting the systems under test (pinned to the server core) and their baselines.
import { fileURLToPath } from 'node:url';
import { existsSync, cpSync, rmSync, mkdirSync, writeFileSync, readFileSync, readlinkSync } from 'node:fs';
import { startNode, stop, freePort, waitForHttp, SERVER_CPU } from './proc.mjs';
import { Missing } from './harness.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// One snapshot per bench run (concurrent runs, e.g. the jest smoke test, must not share one).
const SNAPSHOT = fileURLToPath(new URL(`../.snapshot/run-${process.pid}/`, import.meta.url));
/** The artifacts under test. After snapshotDist() they point into bench/.snapshot (see there). */
export const DIST = {
  emulator: `${ROOT}dist/emulator/main.js`,
  functions: `${ROOT}dist/functions/main.js`,
  localHost: `${ROOT}dist/local-host/main.js`,
  /** `npm start`'s orchestrator (emulator + local host as its children, their output relayed line by line). */
  start: `${ROOT}dist/start.js`,
  /** The app directory the local host loads (package.json `main` → the functions bundle). */
  appDir: ROOT,
};

/**
 * Copies the built artifacts into bench/.snapshot/run-<pid>/ (an app dir, removed at exit: package.json with `main`, host.json,
 * the sample settings, dist/{emulator,functions,local-host}) so a rebuild of dist/ by someone else
 * during a long run cannot change or delete what is being measured. node_modules still resolves from
 * the repository root (bench/.snapshot is inside it).
 */
export function snapshotDist() {
  rmSync(SNAPSHOT, { recursive: true, force: true });
  process.on('exit', () => rmSync(SNAPSHOT, { recursive: true, force: true }));
  mkdirSync(`${SNAPSHOT}dist`, { recursive: true });
  const copied = [];
  for (const part of ['emulator', 'functions', 'local-host']) {
    if (existsSync(`${ROOT}dist/${part}/main.js`)) {
      cpSync(`${ROOT}dist/${part}`, `${SNAPSHOT}dist/${part}`, { recursive: true });
      copied.push(part);
    }
  }
  if (existsSync(`${ROOT}dist/web`)) cpSync(`${ROOT}dist/web`, `${SNAPSHOT}dist/web`, { recursive: true });
  if (existsSync(`${ROOT}dist/start.js`)) {
    cpSync(`${ROOT}dist/start.js`, `${SNAPSHOT}dist/start.js`);
    copied.push('start.js');
  }
  for (const f of ['host.json', 'local.settings.sample.json']) if (existsSync(`${ROOT}${f}`)) cpSync(`${ROOT}${f}`, `${SNAPSHOT}${f}`);
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
  writeFileSync(`${SNAPSHOT}package.json`, JSON.stringify({ name: `${pkg.name}-bench-snapshot`, private: true, main: pkg.main }, null, 2));
  Object.assign(DIST, {
    emulator: `${SNAPSHOT}dist/emulator/main.js`,
    functions: `${SNAPSHOT}${pkg.main}`,
    localHost: `${SNAPSHOT}dist/local-host/main.js`,
    start: `${SNAPSHOT}dist/start.js`,
    appDir: SNAPSHOT,
  });
  return copied;
}
const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));

/** `--profile DIR` (run.mjs) → the project's processes run with --cpu-prof into DIR. */
function profileArgs(nodeArgs) {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${dir}`] : nodeArgs;
}

function need(path, what) {
  if (!existsSync(path)) throw new Missing(`${what} not built (${path.replace(ROOT, '')} missing)`);
}

async function started(child, port, readyUrl, extra = {}) {
  try {
    await waitForHttp(readyUrl, { child, ...extra });
  } catch (e) {
    await stop(child);
    throw e;
  }
  return { child, port, pids: [child.pid], stop: () => stop(child) };
}

/** The project's emulator; `upstream` is a URL template for the `chat` hub. */
export async function startEmulator({ key, upstream, hub = 'chat', cpu = SERVER_CPU, nodeArgs = [], port, args: extra = [] } = {}) {
  need(DIST.emulator, 'emulator');
  port ??= await freePort();
  const args = ['--port', String(port), '--key', key, ...extra];
  if (upstream) args.push('--upstream', `${hub}=${upstream}`);
  const child = startNode(DIST.emulator, args, { cpu, nodeArgs: profileArgs(nodeArgs), cwd: DIST.appDir });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

/** The bare `ws` baseline server (servers/bare-ws.mjs). */
export async function startBareWs({ cpu = SERVER_CPU, nodeArgs = [] } = {}) {
  const port = await freePort();
  const child = startNode(`${SERVERS}bare-ws.mjs`, ['--port', String(port)], {
    cpu,
    nodeArgs: process.env.BENCH_PROFILE_BASELINES ? profileArgs(nodeArgs) : nodeArgs,
  });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

/** The MQTT baseline: Aedes over `ws` (servers/aedes-ws.mjs). */
export async function startAedesWs({ cpu = SERVER_CPU, nodeArgs = [] } = {}) {
  const port = await freePort();
  const child = startNode(`${SERVERS}aedes-ws.mjs`, ['--port', String(port)], {
    cpu,
    nodeArgs: process.env.BENCH_PROFILE_BASELINES ? profileArgs(nodeArgs) : nodeArgs,
  });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

/** The project's emulator serving SignalR Service only (`--service signalr`), no upstream. */
export async function startSignalREmulator({ key, cpu = SERVER_CPU, nodeArgs = [] } = {}) {
  need(DIST.emulator, 'emulator');
  const port = await freePort();
  const child = startNode(DIST.emulator, ['--service', 'signalr', '--port', String(port), '--key', key], {
    cpu,
    nodeArgs: profileArgs(nodeArgs),
    cwd: DIST.appDir,
  });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

/** The bare `ws` baseline for SignalR fan-out (servers/bare-ws-signalr.mjs). */
export async function startBareWsSignalR({ cpu = SERVER_CPU, nodeArgs = [] } = {}) {
  const port = await freePort();
  const child = startNode(`${SERVERS}bare-ws-signalr.mjs`, ['--port', String(port)], {
    cpu,
    nodeArgs: process.env.BENCH_PROFILE_BASELINES ? profileArgs(nodeArgs) : nodeArgs,
  });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

/**
 * The round trip's floor (servers/floor-round-trip.mjs): a bare service (`ws` + REST) and a bare event
 * handler, both pinned to the server core like the emulator and the upstream they stand for.
 */
export async function startFloorRoundTrip({ key, port, upstreamPort, cpu = SERVER_CPU } = {}) {
  port ??= await freePort();
  upstreamPort ??= await freePort();
  const script = `${SERVERS}floor-round-trip.mjs`;
  const nodeArgs = process.env.BENCH_PROFILE_BASELINES ? profileArgs([]) : [];
  const common = ['--key', key];
  const up = startNode(script, ['--role', 'upstream', '--port', String(upstreamPort), '--service', `http://127.0.0.1:${port}`, ...common], { cpu, nodeArgs });
  const svc = startNode(script, ['--role', 'service', '--port', String(port), '--upstream', `http://127.0.0.1:${upstreamPort}/`, ...common], {
    cpu,
    nodeArgs,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${upstreamPort}/api/health`, { child: up });
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, { child: svc });
  } catch (e) {
    await Promise.all([stop(up), stop(svc)]);
    throw e;
  }
  return { port, pids: [svc.pid, up.pid], stop: () => Promise.all([stop(svc), stop(up)]) };
}

/**
 * The whole local stack as `npm start` runs it: dist/start.js, which starts the emulator and the local host
 * as its children and relays their output (a line-prefixing pipe per child stream) to its own stdout.
 * All three are pinned to the server core (the children inherit the affinity) and all three are measured.
 */
export async function startNpmStack({ cpu = SERVER_CPU, env = {} } = {}) {
  need(DIST.start, 'npm start orchestrator');
  const [port, functionsPort] = [await freePort(), await freePort()];
  const child = startNode(DIST.start, [], { cpu, cwd: DIST.appDir, env: { PORT: String(functionsPort), EMULATOR_PORT: String(port), ...env } });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, { child, timeoutMs: 30000 });
    await waitForHttp(`http://127.0.0.1:${functionsPort}/api/negotiate?userId=bench`, { child, timeoutMs: 30000, accept: (s) => s !== 404 && s < 500 });
  } catch (e) {
    await stop(child, 6000);
    throw e;
  }
  const kids = childPids(child.pid);
  if (kids.length < 2) {
    await stop(child, 6000);
    throw new Error(`dist/start.js runs ${kids.length} child process(es), expected the emulator and the local host`);
  }
  // SIGTERM lets start.js stop its children before it exits; a child it left behind is killed by pid
  // (only if that pid still runs in our snapshot's directory).
  const stopStack = async () => {
    await stop(child, 6000);
    for (const pid of kids) {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`) === DIST.appDir.replace(/\/$/, '')) process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  return { port, pids: [...kids, child.pid], stop: stopStack };
}

/** The pids of a process's direct children (Linux /proc). */
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Settings for the functions app, pointing at an emulator port. */
export function functionsEnv(key, emulatorPort) {
  return {
    WebPubSubConnectionString: `Endpoint=http://localhost;Port=${emulatorPort};AccessKey=${key};Version=1.0;`,
    WebPubSubHub: 'chat',
    NegotiateAuth: 'dev',
    FUNCTIONS_WORKER_RUNTIME: 'node',
  };
}

/** The local Functions host serving dist/functions/main.js (package.json `main`). */
export async function startLocalHost({ key, emulatorPort = 9, cpu = SERVER_CPU, env = {}, nodeArgs = [], port, args = [] } = {}) {
  need(DIST.localHost, 'local Functions host');
  need(DIST.functions, 'functions app');
  port ??= await freePort();
  const child = startNode(DIST.localHost, ['--app', DIST.appDir, ...args], {
    cpu,
    cwd: DIST.appDir,
    nodeArgs: profileArgs(nodeArgs),
    env: { ...functionsEnv(key, emulatorPort), PORT: String(port), ...env },
  });
  return started(child, port, `http://127.0.0.1:${port}/api/negotiate?userId=bench`);
}

/**
 * The official-SDK baseline app: express + @azure/web-pubsub-express at /api/webpubsub/hubs/chat/
 * (connect accepted; user event `message` publishes {from,text,group?,at} back with @azure/web-pubsub)
 * and GET /api/negotiate?userId= via getClientAccessToken.
 */
export async function startSdkApp({ key, emulatorPort = 9, cpu = SERVER_CPU, port } = {}) {
  port ??= await freePort();
  const child = startNode(`${SERVERS}sdk-app.mjs`, [], {
    cpu,
    nodeArgs: process.env.BENCH_PROFILE_BASELINES ? profileArgs([]) : [],
    env: { PORT: String(port), ...functionsEnv(key, emulatorPort) },
  });
  return started(child, port, `http://127.0.0.1:${port}/api/health`);
}

export async function stopAllOf(...systems) {
  await Promise.all(systems.filter(Boolean).map((s) => s.stop()));
}
