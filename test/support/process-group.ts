import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ChildExit } from '../../scripts/child-process';
import { signalTree, treeSpawnOptions } from '../../scripts/process-tree';

/** How a process ended: the same record npm start keeps for its children. */
export type ProcessExit = ChildExit;

/**
 * A child started the way `npm start` starts its own (scripts/process-tree.ts: its own process group on
 * POSIX), with its output collected for assertions.
 */
export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match in stdout+stderr; rejects (with the output) if the process exits first. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends `signal` to the whole group and waits for the leader to exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ProcessExit>;
}

export function spawnGroup(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): GroupProcess {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    ...treeSpawnOptions(process.platform, command),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), notify()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((err += d), notify()));
  // 'close' (not 'exit') so that all output has been read when `exited` settles.
  const exited = new Promise<ProcessExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => ((done = true), notify()));

  const signalGroup = (signal: NodeJS.Signals) => signalTree(pid, signal);

  return {
    child,
    pid,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = (out + err).match(pattern);
          if (m) {
            waiters.delete(check);
            resolve(m);
          } else if (done) {
            waiters.delete(check);
            reject(new Error(`process exited before printing ${pattern}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!done) signalGroup(signal);
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL');
      return result;
    },
  };
}

/** Every live descendant of `pid` (children, grandchildren…), from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: "pid (comm) state ppid …"; comm may contain spaces or parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while scanning
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of parents.get(queue.shift()!) ?? []) {
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

/** True while a process with this pid exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
