import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import WebSocket from 'ws';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';

/** Shared plumbing for the emulator e2e suites: everything on port 0, everything closed afterwards. */

export const KEY = 'e2e-primary-key-0123456789-0123456789';
export const SECONDARY_KEY = 'e2e-secondary-key-0123456789-012345';

export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, keys: [KEY], upstreamRetryDelaysMs: [], upstreamTimeoutMs: 5000, validationTimeoutMs: 2000, ...options });
}

export function serviceClient(emulator: RunningEmulator, hub: string): WebPubSubServiceClient {
  return new WebPubSubServiceClient(emulator.connectionString, hub, { allowInsecureConnection: true });
}

export async function clientUrl(
  emulator: RunningEmulator,
  hub: string,
  options: { userId?: string; roles?: string[]; groups?: string[] } = {},
): Promise<string> {
  return (await serviceClient(emulator, hub).getClientAccessToken(options)).url;
}

/** A raw WebSocket client that records every frame, so tests await frames instead of sleeping. */
export class RawClient {
  readonly frames: { data: Buffer; isBinary: boolean }[] = [];
  private waiters: (() => void)[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.frames.push({ data: data as Buffer, isBinary });
      this.wake();
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static open(url: string, protocols?: string | string[], options?: WebSocket.ClientOptions): Promise<RawClient> {
    const ws = new WebSocket(url, protocols, options);
    const client = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.once('error', reject);
    });
  }

  /** Resolves with the HTTP status of a refused handshake. */
  static refusal(url: string, protocols?: string | string[], headers?: Record<string, string>): Promise<number> {
    return RawClient.open(url, protocols, headers ? { headers } : undefined).then(
      (c) => {
        c.ws.terminate();
        throw new Error('the handshake was accepted');
      },
      (e: { status?: number }) => e.status ?? -1,
    );
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The n-th frame (0-based), waiting for it. */
  async frame(n: number): Promise<{ data: Buffer; isBinary: boolean }> {
    while (this.frames.length <= n) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed after ${this.frames.length} frames`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
    return this.frames[n]!;
  }

  async json(n: number): Promise<Record<string, unknown>> {
    return JSON.parse((await this.frame(n)).data.toString()) as Record<string, unknown>;
  }

  /** The first JSON frame (from index `from`) matching the predicate. */
  async find(pred: (m: Record<string, unknown>) => boolean, from = 0): Promise<Record<string, unknown>> {
    for (let i = from; ; i++) {
      const m = await this.json(i);
      if (pred(m)) return m;
    }
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface RecordedEvent {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export type UpstreamReply = { status: number; headers?: Record<string, string>; body?: string | Buffer };

/**
 * A minimal upstream: answers validation with `WebHook-Allowed-Origin: *`, records every request and
 * answers events with `reply(event)` (default 200 empty).
 */
export class FakeUpstream {
  readonly requests: RecordedEvent[] = [];
  private waiters: (() => void)[] = [];
  reply: (e: RecordedEvent) => UpstreamReply | Promise<UpstreamReply> = () => ({ status: 200 });
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      this.requests.push(event);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
      if (req.method === 'OPTIONS') {
        res.writeHead(200, { 'WebHook-Allowed-Origin': '*' });
        res.end();
        return;
      }
      void Promise.resolve(this.reply(event)).then((r) => {
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body);
      });
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** POSTed events only (not validation). */
  get events(): RecordedEvent[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  async waitForEvent(pred: (e: RecordedEvent) => boolean): Promise<RecordedEvent> {
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

/** Resolves when `emitter` emits `event` (first argument). */
export function once<T>(subscribe: (listener: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve) => subscribe(resolve));
}
