import type http from 'node:http';
import type { WebSocket } from 'ws';
import type { ServiceConnection, TransportSink } from './service-connection';

/**
 * The three SignalR transports (docs/protocol/signalr.md §2.2-§2.4) as TransportSinks. Each one only
 * moves bytes; the connection owns the protocol.
 */

export function webSocketTransport(ws: WebSocket, conn: ServiceConnection): TransportSink {
  const sink: TransportSink = {
    kind: 'WebSockets',
    binary: true,
    send(payload) {
      if (ws.readyState !== ws.OPEN) return;
      // Text frames for JSON (browsers hand text frames to the JSON protocol as strings).
      ws.send(payload, { binary: conn.protocol?.transferFormat === 'Binary' });
    },
    close() {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000);
    },
  };
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    conn.receive(bytes);
  });
  ws.on('close', () => conn.end());
  ws.on('error', () => conn.end('The WebSocket failed.'));
  return sink;
}

/** Server-Sent Events: one long GET answered with `text/event-stream`; the client POSTs what it sends. */
export function serverSentEventsTransport(res: http.ServerResponse, conn: ServiceConnection): TransportSink {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  // An initial comment line flushes the headers through buffering proxies.
  res.write(':\r\n\r\n');
  res.on('close', () => conn.end());
  return {
    kind: 'ServerSentEvents',
    binary: false,
    send(payload) {
      const text = Buffer.from(payload).toString('utf8');
      // Every line of the payload becomes one `data:` line; a blank line ends the event.
      res.write(
        `${text
          .split(/\r?\n/)
          .map((line) => `data: ${line}\r\n`)
          .join('')}\r\n`,
      );
    },
    close() {
      if (!res.writableEnded) res.end();
    },
  };
}

/** Long polling: each GET takes what is queued (or waits up to `pollMs`); 204 once closed. */
export class LongPollingTransport implements TransportSink {
  readonly kind = 'LongPolling' as const;
  readonly binary = true;
  private queue: Uint8Array[] = [];
  private waiting?: { res: http.ServerResponse; timer: NodeJS.Timeout };
  private closed = false;

  constructor(private readonly pollMs: number) {}

  send(payload: Uint8Array): void {
    if (this.closed) return;
    this.queue.push(payload);
    this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
  }

  /** A poll request. The previous one, if still open, is answered first (a client polls one at a time). */
  poll(res: http.ServerResponse): void {
    this.answer(200);
    if (this.closed && this.queue.length === 0) {
      res.writeHead(204).end();
      return;
    }
    const timer = setTimeout(() => this.answer(200), this.pollMs);
    timer.unref?.();
    this.waiting = { res, timer };
    res.on('close', () => {
      if (this.waiting?.res === res) {
        clearTimeout(this.waiting.timer);
        this.waiting = undefined;
      }
    });
    if (this.queue.length > 0 || this.closed) this.flush();
  }

  private flush(): void {
    if (!this.waiting) return;
    if (this.queue.length > 0) this.answer(200);
    else if (this.closed) this.answer(204);
  }

  private answer(status: number): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    const body = Buffer.concat(this.queue);
    this.queue = [];
    if (status === 204 && body.length === 0) w.res.writeHead(204).end();
    else w.res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
  }
}
