import type { WsTransport } from './transport';

/**
 * WebSocket ping frames every `webSocketKeepAliveIntervalInSeconds` (docs/protocol/client-protocols.md §6); a client
 * that has not answered the previous ping by the next sweep is terminated (the service's PingTimeout).
 * One timer per distinct interval, shared by all its connections.
 */
export class KeepAlive {
  private readonly sweeps = new Map<number, { timer: NodeJS.Timeout; transports: Set<WsTransport> }>();

  add(transport: WsTransport, intervalMs: number): void {
    let sweep = this.sweeps.get(intervalMs);
    if (!sweep) {
      const transports = new Set<WsTransport>();
      const timer = setInterval(() => {
        for (const t of transports) {
          if (t.awaitingPong) {
            transports.delete(t);
            t.terminate();
          } else {
            t.awaitingPong = true;
            t.ping();
          }
        }
      }, intervalMs);
      timer.unref();
      this.sweeps.set(intervalMs, (sweep = { timer, transports }));
    }
    sweep.transports.add(transport);
  }

  remove(transport: WsTransport): void {
    for (const s of this.sweeps.values()) s.transports.delete(transport);
  }

  close(): void {
    for (const s of this.sweeps.values()) clearInterval(s.timer);
    this.sweeps.clear();
  }
}
