import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Connection } from '../../../emulator/registry/connection';
import type { EndOptions } from '../../../emulator/registry/registry';
import { shutdown, SHUTDOWN_REASON, waitForSockets, type ClosingSocket } from '../../../emulator/shutdown';

class FakeSocket implements ClosingSocket {
  readonly emitter = new EventEmitter();
  terminated = false;
  readonly ws = {
    readyState: 1 as number,
    CLOSED: 3 as const,
    once: (event: string, fn: () => void) => this.emitter.once(event, fn),
  } as unknown as ClosingSocket['ws'];
  terminate(): void {
    this.terminated = true;
  }
}

describe('shutdown', () => {
  it('runs its steps in order and tells every client why', async () => {
    const steps: string[] = [];
    const conns = [{ connectionId: 'a' }, { connectionId: 'b' }] as Connection[];
    await shutdown(
      {
        handshaking: [{ destroy: () => steps.push('cut handshake') } as unknown as Duplex],
        registry: {
          allConnections: () => conns,
          end: (c: Connection, o: EndOptions) => steps.push(`end ${c.connectionId} ${o.code} ${o.reason} ${o.notifyClient}`),
        },
        sockets: new Set(),
        refused: [{ terminate: () => steps.push('cut refused') }],
        stopTimers: () => steps.push('stop timers'),
        closeListener: async () => {
          steps.push('close listener');
        },
      },
      10,
    );
    expect(steps).toEqual([
      'cut handshake',
      `end a 1000 ${SHUTDOWN_REASON} true`,
      `end b 1000 ${SHUTDOWN_REASON} true`,
      'cut refused',
      'stop timers',
      'close listener',
    ]);
  });

  it('waits for sockets that close in time and cuts the rest after the grace period', async () => {
    const quick = new FakeSocket();
    const stuck = new FakeSocket();
    const sockets = new Set<ClosingSocket>([quick, stuck]);
    const started = Date.now();
    const done = waitForSockets(sockets, 50);
    quick.emitter.emit('close');
    await done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(quick.terminated && stuck.terminated).toBe(true);
    expect(sockets.size).toBe(0);
  });

  it('does not wait when every socket already closed', async () => {
    const closed = new FakeSocket();
    (closed.ws as { readyState: number }).readyState = 3;
    const sockets = new Set<ClosingSocket>([closed]);
    await waitForSockets(sockets, 60_000);
    expect(sockets.size).toBe(0);
  });
});
