// The event handler in-process (no HTTP, no host), pinned to the server core: `concurrency` copies of
// the same `connect` CloudEvent handled at once, repeatedly.
// - ours: the functions app's exported `eventHandler` (functions/event-handler.ts, bundled by the orchestrator)
//   called with @azure/functions `new HttpRequest(...)` + `new InvocationContext()`, as the worker does;
// - core: the handler's own work, shared/upstream/request-pipeline.ts `handleUpstreamEvent` (what functions/event-handler.ts
//   runs inside the Functions model), fed the request as a header map and the body bytes;
// - floor: an empty function through the same Functions model objects (HttpRequest built, body read,
//   InvocationContext): what any handler in the Functions model pays before its first line;
// - sdk: @azure/web-pubsub-express's middleware called with an IncomingMessage/ServerResponse pair.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

export async function run(p) {
  const { impl, bundle, headers, body, concurrency = 32, warmupCalls, warmupMs, measureMs, env = {} } = p;
  Object.assign(process.env, env);
  let call;
  if (impl === 'ours' || impl === 'core' || impl === 'floor') {
    const originalWarn = console.warn;
    console.warn = () => {}; // "Failed to detect the Azure Functions runtime ... test mode" (expected here)
    const { eventHandler, HttpRequest, InvocationContext, handleUpstreamEvent, getRuntime } = await import(bundle);
    console.warn = originalWarn;
    const url = 'http://127.0.0.1:7071/api/eventhandler';
    const context = () => new InvocationContext({ functionName: 'eventhandler', invocationId: 'bench' });
    const request = () => new HttpRequest({ method: 'POST', url, headers, body: { string: body } });
    if (impl === 'ours') {
      call = async () => {
        const res = await eventHandler(request(), context());
        return res?.status ?? 200;
      };
    } else if (impl === 'floor') {
      call = async () => {
        const req = request();
        context();
        await req.arrayBuffer();
        return 204;
      };
    } else {
      const runtime = getRuntime();
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const log = { info() {}, warn() {}, error() {} };
      call = async () => {
        // Per call, as an edge would build them: a header reader and the body bytes.
        const bytes = Buffer.from(body);
        const reply = await handleUpstreamEvent({ headers: { get: (name) => lower[name.toLowerCase()] ?? null }, readBody: async () => bytes }, runtime, log);
        return reply.status;
      };
    }
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
