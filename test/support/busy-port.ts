import { createServer, type Server } from 'node:http';

/** Holds a loopback port open for the duration of a describe block, to test "port already in use". */
export function occupyPort(): { port: () => number } {
  let blocker: Server;
  let port = 0;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  return { port: () => port };
}
