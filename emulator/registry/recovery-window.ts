import type { Connection } from './connection';

/**
 * The recovery window of dropped reliable connections (docs/protocol/client-protocols.md §4.2): when a
 * reliable connection's socket drops, its state is kept for `windowMs` so the client can reconnect
 * with its reconnection token; if nobody recovers it in time it ends. This one class starts and
 * cancels every window, so a timer cannot outlive its connection or fire after a recovery.
 */
export class RecoveryWindow {
  private readonly timers = new Map<Connection, NodeJS.Timeout>();

  constructor(
    readonly windowMs: number,
    /** Called once when a window runs out without a recovery. */
    private readonly onExpired: (conn: Connection) => void,
  ) {}

  /** Starts (or restarts) the window of a connection whose socket dropped. */
  open(conn: Connection): void {
    this.cancel(conn);
    const timer = setTimeout(() => {
      this.timers.delete(conn);
      this.onExpired(conn);
    }, this.windowMs);
    // A pending recovery must not keep the process alive.
    timer.unref();
    this.timers.set(conn, timer);
  }

  /** The connection was recovered or ended: its window closes without expiring. */
  cancel(conn: Connection): void {
    const timer = this.timers.get(conn);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(conn);
  }

  isOpen(conn: Connection): boolean {
    return this.timers.has(conn);
  }

  /** Cancels every window (shutdown). */
  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
