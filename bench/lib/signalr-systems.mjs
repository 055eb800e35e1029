// Starting the SignalR systems under test (pinned to the server core): the emulator in SignalR Service
// mode and the bare `ws` baseline (servers/bare-ws-signalr.mjs).
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { startNode, stop, freePort, waitForHttp, SERVER_CPU } from './proc.mjs';
import { Missing } from './harness.mjs';
import { DIST } from './systems.mjs';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));

async function started(child, port) {
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, { child });
  } catch (e) {
    await stop(child);
    throw e;
  }
  return { child, port, pids: [child.pid], stop: () => stop(child) };
}

const profiled = (always) =>
  (always || process.env.BENCH_PROFILE_BASELINES) && process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];

/** The project's emulator serving SignalR Service only (`--service signalr`), no upstream. */
export async function startSignalREmulator({ key, cpu = SERVER_CPU } = {}) {
  if (!existsSync(DIST.emulator)) throw new Missing(`emulator not built (${DIST.emulator} missing)`);
  const port = await freePort();
  const child = startNode(DIST.emulator, ['--service', 'signalr', '--port', String(port), '--key', key], { cpu, nodeArgs: profiled(true), cwd: DIST.appDir });
  return started(child, port);
}

export async function startBareWsSignalR({ cpu = SERVER_CPU } = {}) {
  const port = await freePort();
  const child = startNode(`${SERVERS}bare-ws-signalr.mjs`, ['--port', String(port)], { cpu, nodeArgs: profiled(false) });
  return started(child, port);
}
