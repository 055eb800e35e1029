import { join } from 'node:path';
import { signalTree } from '../../scripts/process-tree';
import { descendantsOf, isRunning, spawnGroup, type GroupProcess, type ProcessExit } from './process-group';

export const repoRoot = join(__dirname, '..', '..');

/** `npm start`'s stack (the built dist/start.js) on free ports, ready to use. */
export interface RunningStack {
  readonly process: GroupProcess;
  /** `http://localhost:<PORT>` */
  readonly functionsBase: string;
  readonly emulatorPort: number;
  /** The emulator and the Functions host, as started by dist/start.js. */
  readonly childPids: readonly number[];
  /**
   * Signals dist/start.js (SIGINT = Ctrl-C) and waits for it; then kills any child still running, since
   * the children live in their own process groups and a SIGKILLed start.js cannot stop them.
   */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** `args`: e.g. `['--signalr']` for `npm run start:signalr`, `['--quiet']`. */
export async function startStack(env: NodeJS.ProcessEnv = {}, args: readonly string[] = []): Promise<RunningStack> {
  const proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', EMULATOR_PORT: '0', ...env },
  });
  try {
    // The banner's last line: everything above it has been printed.
    await proc.waitForOutput(/Press Ctrl-C to stop everything/);
    const [, functionsBase] = await proc.waitForOutput(/Chat: +(http:\/\/localhost:\d+)\//);
    const [, emulatorPort] = await proc.waitForOutput(/Web PubSub: +http:\/\/localhost:(\d+)/);
    const childPids = descendantsOf(proc.pid);
    return {
      process: proc,
      functionsBase: functionsBase!,
      emulatorPort: Number(emulatorPort),
      childPids,
      stop: async (signal = 'SIGINT') => {
        const exit = await proc.stop(signal);
        killLeftovers(childPids);
        return exit;
      },
    };
  } catch (err) {
    const children = descendantsOf(proc.pid);
    await proc.stop('SIGKILL');
    killLeftovers(children);
    throw err;
  }
}

function killLeftovers(pids: readonly number[]): void {
  for (const pid of pids.filter(isRunning)) signalTree(pid, 'SIGKILL');
}
