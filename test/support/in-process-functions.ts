import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from '@azure/functions';
import { bodyText, invocation, request } from './functions-harness';

export interface InProcessFunctions {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  close(): Promise<void>;
}

/** Serves Functions HTTP handlers over real HTTP, in process (the emulator calls /api/eventhandler). */
export function serveFunctions(routes: Record<string, () => HttpHandler>): Promise<InProcessFunctions> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = `http://127.0.0.1${req.url ?? '/'}`;
      const route = routes[new URL(url).pathname];
      if (!route) return void res.writeHead(404).end();
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      void Promise.resolve(
        route()(
          request({ method: req.method ?? 'GET', url, headers, ...(chunks.length ? { body: new Uint8Array(Buffer.concat(chunks)) } : {}) }),
          invocation().context,
        ),
      ).then((r) => {
        const reply = r ?? { status: 204 };
        res.writeHead(reply.status ?? 200, (reply.headers ?? {}) as Record<string, string>);
        res.end(reply.body === undefined ? undefined : typeof reply.body === 'string' ? reply.body : Buffer.from(bodyText(reply)));
      });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}
