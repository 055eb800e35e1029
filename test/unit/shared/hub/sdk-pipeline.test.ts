import type { AccessToken, TokenCredential } from '@azure/identity';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { useInstrumenter, type Instrumenter, type TracingContext } from '@azure/core-tracing';
import { AzureKeyCredential, WebPubSubServiceClient } from '@azure/web-pubsub';
import { decodeJwt } from 'jose';
import { loadConfig } from '../../../../shared/config/app-config';
import { createRestTokenCache, REST_TOKEN_POLICY_NAME } from '../../../../shared/hub/rest-token-cache';
import { createHubService, createServiceClients, sdkClientOptions } from '../../../../shared/hub/service-client';
import { isSdkTracingActive, pipelineOf, removeUnusedPolicies, useCachedRestTokens } from '../../../../shared/hub/sdk-pipeline';

const KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';
const ENDPOINT = 'https://contoso.webpubsub.azure.com';

/** An HttpClient that answers 202 and records what it was sent. */
function recordingHttpClient() {
  const requests: PipelineRequest[] = [];
  const httpClient: HttpClient = {
    sendRequest: async (request): Promise<PipelineResponse> => {
      requests.push(request);
      return { request, status: 202, headers: createHttpHeaders() };
    },
  };
  return { requests, httpClient };
}

const names = (client: WebPubSubServiceClient) =>
  pipelineOf(client)
    .getOrderedPolicies()
    .map((p) => p.name);

describe("the app's @azure/web-pubsub pipeline", () => {
  it('key mode: our token policy where the SDK had its own; retries, errors and redirects kept', () => {
    const client = createServiceClients(
      loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: `Endpoint=${ENDPOINT};AccessKey=${KEY};Version=1.0;` }).service,
    ).client('chat');
    const policies = names(client);
    expect(policies).not.toContain('webPubSubKeyCredentialPolicy');
    expect(policies).not.toContain('formDataPolicy');
    expect(policies).not.toContain('multipartPolicy');
    expect(policies).not.toContain('tracingPolicy');
    for (const kept of [
      'serializationPolicy',
      'userAgentPolicy',
      'setClientRequestIdPolicy',
      'deserializationPolicy',
      'defaultRetryPolicy',
      'redirectPolicy',
      'logPolicy',
    ]) {
      expect(policies).toContain(kept);
    }
    // After the api-version rewrite (the token's aud is the final URL), before the retry policy (one token per call).
    const at = policies.indexOf(REST_TOKEN_POLICY_NAME);
    expect(at).toBeGreaterThan(policies.indexOf('CustomApiVersionPolicy'));
    expect(at).toBeLessThan(policies.indexOf('defaultRetryPolicy'));
  });

  it('key mode: one token per request URL, reused by later calls to that URL', async () => {
    const { requests, httpClient } = recordingHttpClient();
    const client = new WebPubSubServiceClient(ENDPOINT, new AzureKeyCredential(KEY), 'chat', { ...sdkClientOptions(ENDPOINT), httpClient });
    const cache = createRestTokenCache({ accessKey: KEY });
    useCachedRestTokens(client, cache);
    removeUnusedPolicies(client, { tracing: false });
    const service = createHubService(client, ENDPOINT);
    await service.sendToAll({ n: 1 });
    await service.sendToAll({ n: 2 });
    await service.sendToGroup('g', { n: 3 });
    const auth = requests.map((r) => r.headers.get('authorization')!.slice('Bearer '.length));
    expect(auth[1]).toBe(auth[0]);
    expect(auth[2]).not.toBe(auth[0]);
    expect(decodeJwt(auth[0]!).aud).toBe(`${ENDPOINT}/api/hubs/chat/:send?api-version=2024-12-01`);
    expect(decodeJwt(auth[2]!).aud).toBe(`${ENDPOINT}/api/hubs/chat/groups/g/:send?api-version=2024-12-01`);
    expect(cache.size).toBe(2);
  });

  it('installing the cached token policy twice is refused (the SDK policy is already gone; two signers would be a bug)', () => {
    const client = new WebPubSubServiceClient(ENDPOINT, new AzureKeyCredential(KEY), 'chat');
    useCachedRestTokens(client, createRestTokenCache({ accessKey: KEY }));
    expect(() => useCachedRestTokens(client, createRestTokenCache({ accessKey: KEY }))).toThrow(/expected one webPubSubKeyCredentialPolicy/);
  });

  it('keyless: the pipeline bearer policy caches the Microsoft Entra token (one getToken for many calls)', async () => {
    let calls = 0;
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => {
        calls++;
        return { token: 'entra-token', expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const { requests, httpClient } = recordingHttpClient();
    const client = new WebPubSubServiceClient(ENDPOINT, credential, 'chat', { ...sdkClientOptions(ENDPOINT), httpClient });
    removeUnusedPolicies(client, { tracing: false });
    expect(names(client)).toContain('bearerTokenAuthenticationPolicy');
    expect(names(client)).not.toContain(REST_TOKEN_POLICY_NAME);
    const service = createHubService(client, ENDPOINT);
    for (let i = 0; i < 5; i++) await service.sendToAll({ i });
    expect(calls).toBe(1);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual(Array(5).fill('Bearer entra-token'));
  });

  it('pipelineOf refuses an object that is not an SDK client of the expected shape', () => {
    expect(() => pipelineOf({} as WebPubSubServiceClient)).toThrow(/no longer exposes its HTTP pipeline/);
  });
});

describe('the tracing policy', () => {
  afterEach(() => useInstrumenter(undefined as unknown as Instrumenter));

  it('is dropped when no tracing instrumenter is registered', () => {
    expect(isSdkTracingActive()).toBe(false);
    const client = new WebPubSubServiceClient(ENDPOINT, new AzureKeyCredential(KEY), 'chat');
    expect(removeUnusedPolicies(client)).toEqual(['formDataPolicy', 'multipartPolicy', 'tracingPolicy']);
  });

  it('is kept when an instrumenter records spans or propagates trace headers', () => {
    const context: TracingContext = { getValue: () => undefined, setValue: () => context, deleteValue: () => context };
    const instrumenter = (recording: boolean, headers: Record<string, string>): Instrumenter => ({
      startSpan: () => ({
        span: {
          end: () => undefined,
          isRecording: () => recording,
          recordException: () => undefined,
          setAttribute: () => undefined,
          setStatus: () => undefined,
        },
        tracingContext: context,
      }),
      withContext: (_context, callback, ...args) => callback(...args),
      parseTraceparentHeader: () => undefined,
      createRequestHeaders: () => headers,
    });
    useInstrumenter(instrumenter(true, {}));
    expect(isSdkTracingActive()).toBe(true);
    useInstrumenter(instrumenter(false, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' }));
    expect(isSdkTracingActive()).toBe(true);
    const client = new WebPubSubServiceClient(ENDPOINT, new AzureKeyCredential(KEY), 'chat');
    expect(removeUnusedPolicies(client)).toEqual(['formDataPolicy', 'multipartPolicy']);
    expect(names(client)).toContain('tracingPolicy');
  });
});
