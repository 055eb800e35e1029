import type { ChildProcess } from 'node:child_process';
import { hostSystem, stopTree, treeSpawnOptions, type ProcessSystem } from './process-tree';
import { createLineRelay } from './line-relay';
import type { ChildCommand } from './stack-plan';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedChild {
  readonly spec: ChildCommand;
  readonly process: ChildProcess;
  /** Settles once the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** Stops the child and everything it started (process-tree.ts): SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<ChildExit>;
}

/**
 * Starts a child that can be stopped with everything it starts (process-tree.ts explains how, per
 * platform) and prefixes its output lines with `[name]`.
 */
export function startChild(
  spec: ChildCommand,
  cwd: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  system: ProcessSystem = hostSystem,
): ManagedChild {
  const child = system.spawn(spec.command, spec.args, {
    cwd,
    env: spec.env,
    ...treeSpawnOptions(system.platform, spec.command),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${spec.name}] `;
  for (const [stream, target] of [
    [child.stdout, out],
    [child.stderr, err],
  ] as const) {
    if (!stream) continue;
    // One write per chunk, not per line: under load a child writes many lines at once (line-relay.ts).
    const relay = createLineRelay(prefix, target);
    stream.on('data', relay.push);
    stream.on('end', relay.end);
  }
  let hasExited = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
    // spawn failures (ENOENT…) emit 'error' and may never emit 'exit'.
    child.once('error', () => {
      hasExited = true;
      resolve({ code: child.exitCode ?? 127, signal: null });
    });
  });
  let stopping: Promise<ChildExit> | undefined;
  return {
    spec,
    process: child,
    exited,
    stop(graceMs = 5000) {
      // A child that never started has nothing to stop.
      if (child.pid === undefined) return exited;
      stopping ??= stopTree({ pid: child.pid, exited, hasExited: () => hasExited }, { graceMs, system });
      return stopping;
    },
  };
}

/** "exit code 1" / "signal SIGKILL", for messages. */
export function describeExit(exit: ChildExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
