// The event handler in-process (no HTTP, no host), pinned to the server core: `concurrency` copies of
// the same `connect` CloudEvent handled at once, repeatedly.
// - ours: the functions app's exported `eventHandler` (functions/events.ts, bundled by the orchestrator)
//   called with @azure/functions `new HttpRequest(...)` + `new InvocationContext()`, as the handler tests do;
// - sdk: @azure/web-pubsub-express's middleware called with an IncomingMessage/ServerResponse pair.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

export async function run(p) {
  const { impl, bundle, headers, body, concurrency = 32, warmupCalls, warmupMs, measureMs, env = {} } = p;
  Object.assign(process.env, env);
  let call;
  if (impl === 'ours') {
    const originalWarn = console.warn;
    console.warn = () => {}; // "Failed to detect the Azure Functions runtime ... test mode" (expected here)
    const { eventHandler, HttpRequest, InvocationContext } = await import(bundle);
    console.warn = originalWarn;
    const url = 'http://127.0.0.1:7071/api/eventhandler';
    call = async () => {
      const res = await eventHandler(new HttpRequest({ method: 'POST', url, headers, body: { string: body } }), new InvocationContext({ functionName: 'eventhandler', invocationId: 'bench' }));
      return res?.status ?? 200;
    };
  } else {
    const require = createRequire(new URL('../../package.json', import.meta.url));
    const { WebPubSubEventHandler } = require('@azure/web-pubsub-express');
    const handler = new WebPubSubEventHandler('chat', { path: '/api/webpubsub/hubs/chat/', handleConnect: (_req, res) => res.success() });
    const mw = handler.getMiddleware();
    const payload = Buffer.from(body);
    call = () =>
      new Promise((resolve, reject) => {
        const req = new IncomingMessage(new Socket());
        req.method = 'POST';
        req.url = '/api/webpubsub/hubs/chat/';
        req.baseUrl = ''; // what express sets; the SDK middleware reads baseUrl + path
        req.path = req.url;
        req.headers = { ...headers, 'content-length': String(payload.length) };
        req.push(payload);
        req.push(null);
        const res = new ServerResponse(req);
        res.end = () => resolve(res.statusCode);
        mw(req, res, () => reject(new Error('express handler did not handle the request')));
      });
  }
  const status = await call();
  if (status !== 200 && status !== 204) throw new Error(`${impl} handler answered ${status}`);
  let n = 0;
  const batch = async () => {
    const all = [];
    for (let k = 0; k < concurrency; k++) all.push(call());
    const st = await Promise.all(all);
    if (st.some((s) => s !== 200 && s !== 204)) throw new Error(`${impl} handler answered ${st.find((s) => s !== 200 && s !== 204)}`);
    n += concurrency;
  };
  const warmEnd = performance.now() + warmupMs;
  while (n < warmupCalls && performance.now() < warmEnd) await batch();
  n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() < t0 + measureMs) await batch();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { perSecond: n / seconds, perCpuSecond: n / ((c.user + c.system) / 1e6), usPerCall: (seconds * 1e6) / n };
}
