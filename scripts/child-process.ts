import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
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
  /** SIGTERM to the child's process group, SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<ChildExit>;
}

/**
 * Starts a child in its own process group (so Ctrl-C reaches only this script, which then stops the
 * group: the child and anything it started) and prefixes its output lines with `[name]`.
 */
export function startChild(spec: ChildCommand, cwd: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): ManagedChild {
  const child = spawn(spec.command, [...spec.args], {
    cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${spec.name}] `;
  for (const [stream, target] of [
    [child.stdout, out],
    [child.stderr, err],
  ] as const) {
    if (stream) createInterface({ input: stream }).on('line', (line) => target.write(`${prefix}${line}\n`));
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // spawn failures (ENOENT…) emit 'error' and may never emit 'exit'.
    child.once('error', () => resolve({ code: child.exitCode ?? 127, signal: null }));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  let stopping: Promise<ChildExit> | undefined;
  return {
    spec,
    process: child,
    exited,
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        signalGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const forced = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            signalGroup('SIGKILL');
            resolve();
          }, graceMs);
        });
        await Promise.race([exited, forced]);
        const result = await exited;
        clearTimeout(timer);
        // Whatever the child left behind in its group goes too.
        signalGroup('SIGKILL');
        return result;
      })();
      return stopping;
    },
  };
}

/** "exit code 1" / "signal SIGKILL", for messages. */
export function describeExit(exit: ChildExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
