/**
 * The emulator under soak, in its own process: started with `startEmulator`, it answers `stats` requests
 * over IPC with its memory, open file descriptors and active handles, so the soak can compare before,
 * during and after without instrumenting the emulator itself.
 */
import { readdirSync } from 'node:fs';
import { startEmulator } from '../../emulator/server';

interface Stats {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  fds: number;
  handles: Record<string, number>;
}

function stats(): Stats {
  const m = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) handles[r] = (handles[r] ?? 0) + 1;
  return {
    rssMb: +(m.rss / 1048576).toFixed(1),
    heapUsedMb: +(m.heapUsed / 1048576).toFixed(1),
    externalMb: +(m.external / 1048576).toFixed(1),
    fds: readdirSync('/proc/self/fd').length,
    handles,
  };
}

void (async () => {
  const key = process.env.SOAK_KEY!;
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', keys: [key] });
  process.on('message', (m: { type: string; gc?: boolean }) => {
    if (m.type === 'stats') {
      if (m.gc && typeof global.gc === 'function') {
        global.gc();
        global.gc();
      }
      process.send!({ type: 'stats', stats: stats() });
    }
    if (m.type === 'close') void emulator.close().then(() => process.send!({ type: 'closed', stats: stats() }));
  });
  process.send!({ type: 'ready', port: emulator.port, connectionString: emulator.connectionString });
})();
