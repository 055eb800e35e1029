// The app's REST send path (shared/hub/service-client.ts createHubService → @azure/web-pubsub) in one process
// pinned to the server core, against bench/servers/rest-sink.mjs. `variant` picks how the SDK client is
// built, one cut at a time (bench/micro/rest-send.mjs lists them); `bundle` is the app code bundled by the
// orchestrator. Sends a chat-sized JSON message to the hub, `concurrency` calls in flight.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** The app's SDK options (http:// allowed, one retry) with the SDK's own HTTP client: every variant before `app`. */
const sdkTransport = (m, endpoint) => ({ ...m.sdkClientOptions(endpoint), httpClient: m.createDefaultHttpClient() });

export const VARIANTS = {
  /** The SDK as documented: AzureKeyCredential with the key string; a new JWT per call. */
  sdk: (m, endpoint, key) => new m.WebPubSubServiceClient(endpoint, new m.AzureKeyCredential(key), 'chat', sdkTransport(m, endpoint)),
  /** The key as a KeyObject (jsonwebtoken no longer re-imports the secret per call); still a new JWT per call. */
  keyobject: (m, endpoint, key) => new m.WebPubSubServiceClient(endpoint, new m.SecretKeyCredential(key), 'chat', sdkTransport(m, endpoint)),
  /** + one token per request URL, reused until 5 minutes before it expires. */
  tokencache: (m, endpoint, key) => {
    const c = VARIANTS.keyobject(m, endpoint, key);
    m.useCachedRestTokens(c, m.createRestTokenCache({ accessKey: key }));
    return c;
  },
  /** + no form-data, multipart or (with no tracer registered) tracing policy; still the SDK's HTTP client. */
  trimmed: (m, endpoint, key) => {
    const c = new m.WebPubSubServiceClient(endpoint, new m.SecretKeyCredential(key), 'chat', sdkTransport(m, endpoint));
    m.useCachedRestTokens(c, m.createRestTokenCache({ accessKey: key }));
    m.removeUnusedPolicies(c, { tracing: false });
    return c;
  },
  /** + one abort signal per 100 ms slice instead of AbortSignal.timeout per call. */
  deadline: (m, endpoint, key) => VARIANTS.trimmed(m, endpoint, key),
  /** + the app's own HTTP transport (shared/hub/rest-http-client.ts): the app's client, as createServiceClients builds it. */
  app: (m, endpoint, key) => m.createServiceClients({ endpoint, accessKeys: [key], keyless: false }).client('chat'),
  /** The app's client with keep-alive turned off, to show what connection reuse is worth. */
  nokeepalive: (m, endpoint, key) => {
    const c = VARIANTS.app(m, endpoint, key);
    // disableKeepAlive alone falls back to http.globalAgent, which keeps connections alive since Node 19.
    const agent = new http.Agent({ keepAlive: false });
    m.pipelineOf(c).addPolicy({ name: 'benchNoKeepAlive', sendRequest: (req, next) => ((req.agent = agent), next(req)) });
    return c;
  },
};

export async function run(p) {
  const { variant, bundle, endpoint, key, transport = 'http', concurrency = 16, warmupCalls = 5000, warmupMaxMs = 20000, measureMs = 2000 } = p;
  const m = await import(bundle);
  const make = VARIANTS[variant];
  if (!make) throw new Error(`unknown variant ${variant}`);
  const client = make(m, endpoint, key);
  if (transport === 'none') {
    // The pipeline alone: a last policy answers 202 instead of calling the HTTP client, so the figure is the
    // SDK's and the app's JavaScript per call without sockets (far steadier on a busy machine).
    m.pipelineOf(client).addPolicy(
      { name: 'benchNullTransport', sendRequest: async (request) => ({ request, status: 202, headers: m.createHttpHeaders() }) },
      { afterPhase: 'Sign' },
    );
  }
  // Every variant but the app itself sends as the app did before: AbortSignal.timeout per call.
  const service =
    variant === 'deadline' || variant === 'app' || variant === 'nokeepalive'
      ? m.createHubService(client, endpoint)
      : m.createHubService(client, endpoint, 10_000, () => AbortSignal.timeout(10_000));
  let i = 0;
  const send = () => service.sendToAll({ from: 'user-1', text: `hello ${i++}`, at: 1700000000000 });
  await send(); // fails loudly (401, refused) before anything is measured
  const loop = async (until) => {
    let n = 0;
    const worker = async () => {
      while (until(n)) {
        n++;
        await send();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return n;
  };
  const warmEnd = performance.now() + warmupMaxMs;
  const warmed = await loop((n) => n < warmupCalls && performance.now() < warmEnd);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const stop = t0 + measureMs;
  const n = await loop(() => performance.now() < stop);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  return { perSecond: n / seconds, perCpuSecond: n / cpuSeconds, usCpuPerCall: (cpuSeconds * 1e6) / n, calls: n, warmupCalls: warmed };
}
