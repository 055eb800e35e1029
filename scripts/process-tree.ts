/**
 * Starting a child so that it and everything it starts can be stopped together, on every platform.
 *
 * POSIX (Linux, macOS): the child leads its own process group (`detached`), so a terminal's Ctrl-C reaches
 * only `npm start`, which then signals each group as a whole: SIGTERM first, SIGKILL after a grace period
 * and for anything left in the group once the leader has gone.
 *
 * Windows has no process groups to signal and no SIGTERM. `detached` there means "no console", so every
 * console program the child starts (Core Tools' worker, for one) opens a window of its own, and
 * `process.kill(-pid)` throws. So on Windows children share our console (Ctrl-C reaches them directly)
 * and are stopped with `taskkill /T /F`, which ends the process and its descendants. It must run while
 * the child is alive: Windows links a process to its children only through its pid, which is soon reused.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, extname, join } from 'node:path';

/** The parts of the operating system this module uses, injectable for tests. */
export interface ProcessSystem {
  readonly platform: NodeJS.Platform;
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
  /** `process.kill`: throws ESRCH when nothing has that pid (or group). */
  kill(pid: number, signal: NodeJS.Signals): void;
}

export const hostSystem: ProcessSystem = {
  platform: process.platform,
  spawn: (command, args, options) => spawn(command, [...args], options),
  kill: (pid, signal) => process.kill(pid, signal),
};

export interface TreeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Spawn options for a child whose tree is stopped with `stopTree`. On Windows a command that is not an
 * .exe (`func` is `func.cmd`) needs a shell: Node refuses to spawn .cmd and .bat files without one.
 */
export function treeSpawnOptions(platform: NodeJS.Platform, command: string): Pick<SpawnOptions, 'detached' | 'windowsHide' | 'shell'> {
  if (platform !== 'win32') return { detached: true };
  return { detached: false, windowsHide: true, shell: extname(command).toLowerCase() !== '.exe' };
}

/**
 * Sends `signal` to the child's whole tree. On Windows any signal ends the tree at once (`taskkill /T
 * /F`): console programs cannot be asked to stop from outside except through a console they share.
 */
export function signalTree(pid: number, signal: NodeJS.Signals, system: ProcessSystem = hostSystem): void {
  if (system.platform === 'win32') {
    const taskkill = system.spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    // "not found" (already gone) and a missing taskkill are both nothing more to do.
    taskkill.on('error', () => {});
    return;
  }
  try {
    system.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Stops a child started with `treeSpawnOptions`: `signal` to its tree, SIGKILL after `graceMs`, and on
 * POSIX SIGKILL to its group once it has exited (whatever it left behind). Resolves with its exit.
 */
export async function stopTree(
  child: { readonly pid: number; readonly exited: Promise<TreeExit>; readonly hasExited: () => boolean },
  options: { readonly signal?: NodeJS.Signals; readonly graceMs: number; readonly system?: ProcessSystem },
): Promise<TreeExit> {
  const system = options.system ?? hostSystem;
  const windows = system.platform === 'win32';
  if (!child.hasExited()) signalTree(child.pid, options.signal ?? 'SIGTERM', system);
  const timer = setTimeout(() => {
    if (!child.hasExited()) signalTree(child.pid, 'SIGKILL', system);
  }, options.graceMs);
  const exit = await child.exited;
  clearTimeout(timer);
  // On Windows the pid may already belong to another process; taskkill /T has already ended the tree.
  if (!windows) signalTree(child.pid, 'SIGKILL', system);
  return exit;
}

/** The signals after which `npm start` stops its children and exits. */
export function shutdownSignals(platform: NodeJS.Platform): NodeJS.Signals[] {
  // SIGHUP: the terminal (POSIX) or console window (Windows) closed. SIGBREAK: Ctrl-Break, Windows only.
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGHUP', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

/**
 * How long to wait before calling a child's exit unexpected. On Windows a Ctrl-C reaches the children
 * (they share the console) as well as `npm start`, and a child may exit a moment before our own SIGINT
 * handler runs; elsewhere the children are out of the terminal's reach and an exit is news at once.
 */
export function unexpectedExitDelayMs(platform: NodeJS.Platform): number {
  return platform === 'win32' ? 500 : 0;
}

/** Whether `command` can be run from PATH; on Windows with any of PATHEXT's extensions (`func` → `func.cmd`). */
export function isOnPath(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, isFile: (path: string) => boolean): boolean {
  const separator = platform === 'win32' ? ';' : delimiter;
  const dirs = (env.PATH ?? env.Path ?? '').split(separator).filter(Boolean);
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  return dirs.some((dir) => extensions.some((ext) => isFile(join(dir, `${command}${ext}`))));
}

/**
 * Whether `path` is a file this user may run. A directory passes the execute check too (it means "may
 * enter"), so a folder named `func` on PATH would otherwise pass for Core Tools.
 */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
