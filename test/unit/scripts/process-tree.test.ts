import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { EventEmitter } from 'node:events';
import { startChild } from '../../../scripts/child-process';
import {
  isExecutableFile,
  isOnPath,
  shutdownSignals,
  signalTree,
  stopTree,
  treeSpawnOptions,
  type ProcessSystem,
  type TreeExit,
} from '../../../scripts/process-tree';
import type { ChildCommand } from '../../../scripts/stack-plan';

interface Spawned {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnOptions;
  readonly child: EventEmitter & { pid: number };
}

/** Records every process started and every signal sent; kills nothing. */
function fakeSystem(platform: NodeJS.Platform, opts: { killThrows?: boolean } = {}) {
  const spawned: Spawned[] = [];
  const kills: Array<[number, NodeJS.Signals]> = [];
  let nextPid = 4000;
  const system: ProcessSystem = {
    platform,
    spawn(command, args, options) {
      const child = Object.assign(new EventEmitter(), { pid: nextPid++, stdout: null, stderr: null });
      spawned.push({ command, args, options, child });
      return child as unknown as ChildProcess;
    },
    kill(pid, signal) {
      kills.push([pid, signal]);
      if (opts.killThrows) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    },
  };
  return { system, spawned, kills };
}

function controllableExit() {
  let exit!: (e: TreeExit) => void;
  let done = false;
  const exited = new Promise<TreeExit>((resolve) => (exit = (e) => ((done = true), resolve(e))));
  return { exited, hasExited: () => done, exit };
}

const spec: ChildCommand = {
  name: 'emulator',
  description: 'the emulator',
  command: 'C:\\Program Files\\nodejs\\node.exe',
  args: ['dist/emulator/main.js', '--port', '8080'],
  env: {},
};

describe('on Windows', () => {
  it('starts children attached to our console (no detached: no console windows), hidden, without a shell for an .exe', () => {
    const { system, spawned } = fakeSystem('win32');
    startChild(spec, 'C:\\app', process.stdout, process.stderr, system);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.command).toBe(spec.command);
    expect(spawned[0]!.args).toEqual(spec.args);
    expect(spawned[0]!.options).toMatchObject({ detached: false, windowsHide: true, shell: false, cwd: 'C:\\app' });
  });

  it('runs `func` (func.cmd) through a shell, which Node requires for .cmd files', () => {
    expect(treeSpawnOptions('win32', 'func')).toEqual({ detached: false, windowsHide: true, shell: true });
  });

  it('stops a child with `taskkill /pid <pid> /T /F` and never with a negative pid', async () => {
    const { system, spawned, kills } = fakeSystem('win32');
    const child = startChild(spec, 'C:\\app', process.stdout, process.stderr, system);
    const stopping = child.stop(60_000);
    const taskkill = spawned.slice(1);
    expect(taskkill.map((s) => [s.command, ...s.args])).toEqual([['taskkill', '/pid', String(spawned[0]!.child.pid), '/T', '/F']]);
    expect(taskkill[0]!.options).toMatchObject({ windowsHide: true, stdio: 'ignore' });
    spawned[0]!.child.emit('exit', 1, null);
    expect(await stopping).toEqual({ code: 1, signal: null });
    expect(kills).toEqual([]);
    // Nothing is sent after the exit: by then the pid may belong to an unrelated process.
    expect(spawned).toHaveLength(2);
  });

  it('ends the tree again when it outlives the grace period, but only while it is running', async () => {
    jest.useFakeTimers();
    try {
      const { system, spawned } = fakeSystem('win32');
      const child = controllableExit();
      const stopping = stopTree({ pid: 77, ...child }, { graceMs: 5000, system });
      jest.advanceTimersByTime(5000);
      expect(spawned.map((s) => s.args)).toEqual([
        ['/pid', '77', '/T', '/F'],
        ['/pid', '77', '/T', '/F'],
      ]);
      child.exit({ code: null, signal: 'SIGKILL' });
      await stopping;
      jest.advanceTimersByTime(10_000);
      expect(spawned).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not run taskkill for a child that has already exited', async () => {
    const { system, spawned } = fakeSystem('win32');
    const child = controllableExit();
    child.exit({ code: 0, signal: null });
    await stopTree({ pid: 5, ...child }, { graceMs: 10, system });
    expect(spawned).toEqual([]);
  });

  it('ignores a taskkill that cannot start', () => {
    const { system, spawned } = fakeSystem('win32');
    signalTree(9, 'SIGTERM', system);
    expect(() => spawned[0]!.child.emit('error', new Error('spawn taskkill ENOENT'))).not.toThrow();
  });

  it('shuts down on Ctrl-C, Ctrl-Break and the console window closing', () => {
    expect(shutdownSignals('win32')).toEqual(expect.arrayContaining(['SIGINT', 'SIGBREAK', 'SIGHUP']));
  });

  it('finds func.cmd on PATH through PATHEXT', () => {
    const files = new Set(['c:\\npm\\func.cmd']);
    const env = { Path: 'C:\\Windows;C:\\npm', PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    // Windows file names ignore case; path.join is POSIX's in this test, hence the "/".
    const isFile = (p: string) => files.has(p.replace('/', '\\').toLowerCase());
    expect(isOnPath('func', env, 'win32', isFile)).toBe(true);
    expect(isOnPath('func', { ...env, PATHEXT: '.EXE' }, 'win32', isFile)).toBe(false);
  });
});

describe('on Linux and macOS', () => {
  it.each(['linux', 'darwin'] as const)('%s: starts each child as the leader of its own process group', (platform) => {
    const { system, spawned } = fakeSystem(platform);
    startChild({ ...spec, command: '/usr/bin/node' }, '/app', process.stdout, process.stderr, system);
    expect(spawned[0]!.options.detached).toBe(true);
    expect(spawned[0]!.options.shell).toBeUndefined();
  });

  it('signals the group (negative pid), then kills what the leader left behind in it', async () => {
    const { system, spawned, kills } = fakeSystem('darwin');
    const child = controllableExit();
    const stopping = stopTree({ pid: 321, ...child }, { signal: 'SIGINT', graceMs: 60_000, system });
    expect(kills).toEqual([[-321, 'SIGINT']]);
    child.exit({ code: 0, signal: null });
    await stopping;
    expect(kills).toEqual([
      [-321, 'SIGINT'],
      [-321, 'SIGKILL'],
    ]);
    expect(spawned).toEqual([]);
  });

  it('sends SIGKILL to the group when the grace period runs out', async () => {
    jest.useFakeTimers();
    try {
      const { system, kills } = fakeSystem('linux');
      const child = controllableExit();
      const stopping = stopTree({ pid: 42, ...child }, { graceMs: 5000, system });
      jest.advanceTimersByTime(4999);
      expect(kills).toEqual([[-42, 'SIGTERM']]);
      jest.advanceTimersByTime(1);
      expect(kills).toEqual([
        [-42, 'SIGTERM'],
        [-42, 'SIGKILL'],
      ]);
      child.exit({ code: null, signal: 'SIGKILL' });
      await stopping;
    } finally {
      jest.useRealTimers();
    }
  });

  it('treats a group that is already gone (ESRCH) as stopped', () => {
    const { system } = fakeSystem('linux', { killThrows: true });
    expect(() => signalTree(1234, 'SIGTERM', system)).not.toThrow();
  });

  it('shuts down on Ctrl-C, SIGTERM and the terminal closing', () => {
    expect(shutdownSignals('linux')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
  });

  it('needs the execute bit, and no extension, to find a command on PATH', () => {
    const files = new Set(['/usr/local/bin/func']);
    expect(isOnPath('func', { PATH: '/usr/bin:/usr/local/bin' }, 'linux', (p) => files.has(p))).toBe(true);
    expect(isOnPath('func', { PATH: '/usr/bin' }, 'linux', (p) => files.has(p))).toBe(false);
  });

  it('does not take a folder named like the command for the command (npm start --func)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'path-lookup-'));
    try {
      const folders = join(dir, 'folders');
      mkdirSync(join(folders, 'func'), { recursive: true });
      const programs = join(dir, 'programs');
      mkdirSync(programs);
      writeFileSync(join(programs, 'func'), '#!/bin/sh\n');
      chmodSync(join(programs, 'func'), 0o755);
      expect(isOnPath('func', { PATH: folders }, 'linux', isExecutableFile)).toBe(false);
      expect(isOnPath('func', { PATH: [folders, programs].join(delimiter) }, 'linux', isExecutableFile)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
