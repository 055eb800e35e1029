import { join } from 'node:path';
import { descendantsOf, spawnGroup, type GroupProcess } from './process-group';

export const repoRoot = join(__dirname, '..', '..');

/** `npm start`'s stack (the built dist/start.js) on free ports, ready to use. */
export interface RunningStack {
  readonly process: GroupProcess;
  /** `http://localhost:<PORT>` */
  readonly functionsBase: string;
  readonly emulatorPort: number;
  /** The emulator and the Functions host, as started by dist/start.js. */
  readonly childPids: readonly number[];
}

export async function startStack(env: NodeJS.ProcessEnv = {}): Promise<RunningStack> {
  const proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', EMULATOR_PORT: '0', ...env },
  });
  try {
    const [, functionsBase] = await proc.waitForOutput(/Chat: +(http:\/\/localhost:\d+)\//);
    const [, emulatorPort] = await proc.waitForOutput(/Web PubSub: +http:\/\/localhost:(\d+)/);
    return { process: proc, functionsBase: functionsBase!, emulatorPort: Number(emulatorPort), childPids: descendantsOf(proc.pid) };
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
}
