import { WebPubSubClient } from '@azure/web-pubsub-client';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import net, { type AddressInfo } from 'node:net';

/**
 * The "sockets cut at random under load" scenario, shared by the jest fault test (small) and
 * bench/soak (full size): N reliable clients, each sending M messages to the group of the next client
 * through a TCP proxy that cuts random live connections (both halves destroyed, as a dropped network
 * would). Each sender retries a failed send with the same ackId (the service de-duplicates); each
 * receiver records what arrives. Exactly once, in order per sender, is then checked by the caller.
 */

/** A loopback TCP proxy whose connections can be cut. */
export class CuttingProxy {
  private readonly pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  private readonly server: net.Server;
  cuts = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((a) => {
      const b = net.connect(this.targetPort, '127.0.0.1');
      const pair = { a, b };
      this.pairs.add(pair);
      const drop = () => {
        this.pairs.delete(pair);
        a.destroy();
        b.destroy();
      };
      a.on('error', drop).on('close', drop);
      b.on('error', drop).on('close', drop);
      a.pipe(b);
      b.pipe(a);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  get live(): number {
    return this.pairs.size;
  }

  /** Destroys `count` random live connections. */
  cut(count: number): void {
    const all = [...this.pairs];
    for (let i = 0; i < count && all.length > 0; i++) {
      const [pair] = all.splice(Math.floor(Math.random() * all.length), 1);
      pair!.a.destroy();
      pair!.b.destroy();
      this.cuts++;
    }
  }

  close(): Promise<void> {
    for (const p of this.pairs) {
      p.a.destroy();
      p.b.destroy();
    }
    return new Promise((r) => this.server.close(() => r()));
  }
}

export interface CutsOptions {
  /** `Endpoint=…` of the emulator (tokens are minted with its key). */
  readonly connectionString: string;
  readonly proxyPort: number;
  readonly hub: string;
  readonly clients: number;
  readonly messages: number;
  /** Called once per cut interval while senders run. */
  readonly onTick?: () => void;
  readonly cutEveryMs: number;
  readonly cutsPerTick: number;
  readonly proxy: CuttingProxy;
}

export interface CutsResult {
  /** received[i] = the message numbers client i got from its sender, in arrival order. */
  readonly received: number[][];
  readonly cuts: number;
  readonly retries: number;
  readonly durationMs: number;
}

/** `keepAliveIntervalInMs`/`keepAliveTimeoutInMs` exist in the client (1.0.4 and 1.1.0) but not in the 1.0.4 typings. */
export const SHORT_KEEPALIVE = { keepAliveIntervalInMs: 250, keepAliveTimeoutInMs: 3000 } as ConstructorParameters<typeof WebPubSubClient>[1];

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runReliableCuts(o: CutsOptions): Promise<CutsResult> {
  const service = new WebPubSubServiceClient(o.connectionString, o.hub, { allowInsecureConnection: true });
  const received: number[][] = Array.from({ length: o.clients }, () => []);
  let retries = 0;
  const clients = await Promise.all(
    Array.from({ length: o.clients }, async (_, i) => {
      const client = new WebPubSubClient(
        {
          getClientAccessUrl: async () => {
            const { token } = await service.getClientAccessToken({
              userId: `u${i}`,
              roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'],
              groups: [`g${i}`],
            });
            return `ws://localhost:${o.proxyPort}/client/hubs/${o.hub}?access_token=${token}`;
          },
        },
        // the client keeps its keepalive timers for one interval after stop(): short ones let jest exit promptly.
        SHORT_KEEPALIVE,
      );
      client.on('group-message', (e) => {
        const d = e.message.data as { from: number; n: number };
        if (e.message.group === `g${i}`) received[i]!.push(d.from * 1_000_000 + d.n);
      });
      await client.start();
      return client;
    }),
  );
  const started = Date.now();
  let running = true;
  const cutter = (async () => {
    while (running) {
      await wait(o.cutEveryMs);
      if (running) o.proxy.cut(o.cutsPerTick);
      o.onTick?.();
    }
  })();
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        const target = `g${(i + 1) % o.clients}`;
        for (let n = 0; n < o.messages; n++) {
          // The same ackId on every retry: a message that was processed but whose ack was lost comes back
          // as Duplicate (treated as success by the SDK) instead of being delivered twice.
          for (let attempt = 0; ; attempt++) {
            try {
              await client.sendToGroup(target, { from: i, n }, 'json', { ackId: 1_000_000 + n });
              break;
            } catch (e) {
              if (attempt > 200) throw new Error(`client ${i} message ${n}: ${(e as Error).message}`, { cause: e });
              retries++;
              await wait(20 + attempt * 10); // back-off while the client recovers its connection
            }
          }
        }
      }),
    );
  } finally {
    running = false;
    await cutter;
  }
  // Every receiver waits until it has heard from its sender's last message (or the bound in the caller).
  const expectedLast = (i: number) => ((i + o.clients - 1) % o.clients) * 1_000_000 + o.messages - 1;
  await Promise.all(
    received.map(async (r, i) => {
      while (!r.includes(expectedLast(i))) await wait(20);
    }),
  );
  const durationMs = Date.now() - started;
  for (const c of clients) c.stop();
  return { received, cuts: o.proxy.cuts, retries, durationMs };
}

/** Problems with exactly-once, in-order delivery; empty when all is well. */
export function deliveryProblems(result: CutsResult, clients: number, messages: number): string[] {
  const problems: string[] = [];
  result.received.forEach((got, i) => {
    const sender = (i + clients - 1) % clients;
    const expected = Array.from({ length: messages }, (_, n) => sender * 1_000_000 + n);
    if (got.length !== expected.length || got.some((v, k) => v !== expected[k])) {
      const dupes = got.length - new Set(got).size;
      const missing = expected.filter((v) => !got.includes(v)).length;
      problems.push(
        `client ${i}: got ${got.length}/${messages} (missing ${missing}, duplicates ${dupes}, ${got.every((v, k) => k === 0 || v > got[k - 1]!) ? 'in order' : 'OUT OF ORDER'})`,
      );
    }
  });
  return problems;
}
