import type { Pipeline } from '@azure/core-rest-pipeline';
import { createTracingClient } from '@azure/core-tracing';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import { restTokenPolicy, type RestTokenCache } from './rest-token-cache';

/**
 * What this app changes in the HTTP pipeline `@azure/web-pubsub` 1.2.0 builds for each client
 * (`@azure/core-rest-pipeline` policies, in order: serialization, proxy, decompress, abort signal,
 * form data, user agent, client request id, api version, key token, deserialization, multipart,
 * retry, tracing, redirect, log). Everything that shapes the request on the wire, the retries and the
 * error mapping stays; what goes is per-call work whose result is always the same for this app.
 */

/** The SDK's own key policy, which signs a new JWT for every call. */
const SDK_KEY_POLICY = 'webPubSubKeyCredentialPolicy';
/** The app never sends form data or multipart bodies; both policies only test for them. */
const UNUSED_POLICIES = ['formDataPolicy', 'multipartPolicy'] as const;
/** Parses the URL per call to name a span nobody records unless an OpenTelemetry instrumenter is set. */
const TRACING_POLICY = 'tracingPolicy';

/** The client's pipeline; the SDK keeps it in a private field, so the shape is checked, not assumed. */
export function pipelineOf(client: WebPubSubServiceClient): Pipeline {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline || typeof pipeline.removePolicy !== 'function' || typeof pipeline.getOrderedPolicies !== 'function') {
    throw new Error(
      '@azure/web-pubsub no longer exposes its HTTP pipeline where this app expects it; check shared/hub/sdk-pipeline.ts against the installed version',
    );
  }
  return pipeline;
}

/** Replaces the SDK's per-call JWT signing with tokens from `cache` (docs/protocol/auth.md §4). */
export function useCachedRestTokens(client: WebPubSubServiceClient, cache: RestTokenCache): void {
  const pipeline = pipelineOf(client);
  const removed = pipeline.removePolicy({ name: SDK_KEY_POLICY });
  // Adding ours without removing the SDK's would sign twice; without either, calls would go unsigned.
  if (removed.length !== 1) throw new Error(`expected one ${SDK_KEY_POLICY} in the @azure/web-pubsub pipeline, found ${removed.length}`);
  pipeline.addPolicy(restTokenPolicy(cache));
}

/**
 * True when an Azure SDK tracing instrumenter (for example `@azure/opentelemetry-instrumentation-azure-sdk`)
 * is registered: a probe span then records or yields trace headers to propagate. The default
 * instrumenter does neither. Asked when a client is built, which happens on the first call, after start-up.
 */
export function isSdkTracingActive(): boolean {
  try {
    const tracer = createTracingClient({ namespace: 'Microsoft.SignalRService', packageName: 'webpubsub-serverless' });
    const { span, updatedOptions } = tracer.startSpan('probe');
    const active = span.isRecording() || Object.keys(tracer.createRequestHeaders(updatedOptions.tracingOptions?.tracingContext)).length > 0;
    span.end();
    return active;
  } catch {
    return true; // Keep tracing when in doubt.
  }
}

/** Removes the policies whose work this app never needs; returns their names. */
export function removeUnusedPolicies(client: WebPubSubServiceClient, options: { tracing?: boolean } = {}): string[] {
  const pipeline = pipelineOf(client);
  const names: string[] = [...UNUSED_POLICIES];
  if (!(options.tracing ?? isSdkTracingActive())) names.push(TRACING_POLICY);
  return names.filter((name) => pipeline.removePolicy({ name }).length > 0);
}
