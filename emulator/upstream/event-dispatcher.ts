import type { ServiceHubSettings } from '../config';
import { logValue, trafficIf, type Log } from '../log';
import { buildCloudEventHeaders, type EventConnection, type UpstreamEvent } from './cloud-event-request';
import { ConnectionHeaderCache } from './connection-header-cache';
import { selectPresenceHandler } from './group-presence';
import { resolveUrlTemplate, selectHandler, urlForLog } from './handler-selection';
import { describeValidationFailure, isAllowedOriginReply } from './validation';
import { WebhookClient, WebhookTransportError, type WebhookResponse } from './webhook-client';

export interface UpstreamOptions {
  readonly keys: readonly string[];
  /** `WebHook-Request-Origin` (host name only, docs/protocol/cloud-events.md §2). */
  readonly origin: string;
  /** Our port: a validation reply naming `localhost:<port>` is accepted too. */
  readonly port?: number;
  /** Per event including retries (docs/protocol/cloud-events.md §11: 100 s in the official emulator). */
  readonly timeoutMs: number;
  readonly retryDelaysMs: readonly number[];
  /** docs/protocol/cloud-events.md §2: 10 s. */
  readonly validationTimeoutMs: number;
  readonly log: Log;
  /** A bearer token of the service's own identity for `resource` (handlers with ManagedIdentity auth). */
  readonly upstreamToken?: (resource: string) => Promise<string>;
}

export type DispatchResult =
  { readonly kind: 'no-handler' } | { readonly kind: 'reply'; readonly response: WebhookResponse } | { readonly kind: 'failed'; readonly reason: string };

/**
 * Sends events to a hub's handlers: picks the handler, validates its URL once (abuse protection), posts
 * with retries, and logs one line per call.
 */
export class EventDispatcher {
  private readonly client = new WebhookClient();
  private readonly connectionHeaders = new ConnectionHeaderCache();
  /** Resolved URL → successful (or in-flight) validation. Failures are dropped so the next event retries. */
  private readonly validated = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: UpstreamOptions) {}

  /** True when some handler of the hub takes this event. */
  hasHandler(hub: ServiceHubSettings, event: Pick<UpstreamEvent, 'kind' | 'name'>): boolean {
    return selectHandler(hub.eventHandlers, event) !== undefined;
  }

  async dispatch(hub: ServiceHubSettings, connection: EventConnection, event: UpstreamEvent, ceId: string): Promise<DispatchResult> {
    const handler = event.kind === 'presence' ? selectPresenceHandler(hub.eventHandlers, event.name, event.group) : selectHandler(hub.eventHandlers, event);
    if (!handler) return { kind: 'no-handler' };
    const url = resolveUrlTemplate(handler.urlTemplate, hub.name, event.name);
    const problem = await this.validate(resolveUrlTemplate(handler.urlTemplate, hub.name, 'validate'));
    if (problem !== undefined) {
      this.options.log(`upstream ${event.name} ${urlForLog(url)} failed: validation ${problem}`);
      return { kind: 'failed', reason: `abuse-protection validation failed: ${problem}` };
    }
    const { keys, origin } = this.options;
    const fixed = this.connectionHeaders.get(connection, keys, origin);
    const headers = buildCloudEventHeaders({ event, connection, ceId, time: new Date(), keys, origin, fixed });
    if (handler.auth?.type === 'ManagedIdentity') {
      // docs/protocol/cloud-events.md §9: the service gets a token of its identity for the handler's resource; no token, no request.
      const bearer = await this.bearer(handler.auth.managedIdentity.resource);
      if (typeof bearer !== 'string') {
        this.options.log(`upstream ${event.name} ${urlForLog(url)} failed: ${logValue(bearer.problem)}`);
        return { kind: 'failed', reason: bearer.problem };
      }
      headers['Authorization'] = `Bearer ${bearer}`;
    }
    const started = Date.now();
    try {
      const response = await this.client.sendWithRetry(
        { method: 'POST', url, headers, body: event.body },
        { timeoutMs: this.options.timeoutMs, retryDelaysMs: this.options.retryDelaysMs },
      );
      this.options.log(
        `upstream ${event.name} hub=${hub.name} id=${connection.connectionId} ${urlForLog(url)} ${response.status} ${Date.now() - started}ms`,
        trafficIf(response.status),
      );
      return { kind: 'reply', response };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.options.log(
        `upstream ${event.name} hub=${hub.name} id=${connection.connectionId} ${urlForLog(url)} failed: ${logValue(reason)} ${Date.now() - started}ms`,
      );
      return { kind: 'failed', reason };
    }
  }

  private async bearer(resource: string): Promise<string | { problem: string }> {
    if (!this.options.upstreamToken)
      return { problem: 'the handler uses ManagedIdentity auth but the emulator runs without the local Entra authority (--entra)' };
    try {
      return await this.options.upstreamToken(resource);
    } catch (e) {
      return { problem: `no managed-identity token for ${resource}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Undefined when the URL is validated; otherwise why not. Successes are cached per resolved URL. */
  private validate(url: string): Promise<string | undefined> {
    let pending = this.validated.get(url);
    if (!pending) {
      pending = this.runValidation(url);
      this.validated.set(url, pending);
      void pending.then((problem) => {
        if (problem !== undefined) this.validated.delete(url);
      });
    }
    return pending;
  }

  private async runValidation(url: string): Promise<string | undefined> {
    const headers = { 'WebHook-Request-Origin': this.options.origin, 'ce-awpsversion': '1.0' };
    const started = Date.now();
    try {
      let response = await this.client.send({ method: 'OPTIONS', url, headers }, this.options.validationTimeoutMs);
      // docs/protocol/cloud-events.md §2 [emulator]: fall back to GET when OPTIONS is not routed.
      if (response.status === 404) response = await this.client.send({ method: 'GET', url, headers }, this.options.validationTimeoutMs);
      const ok = isAllowedOriginReply(response.status, response.headers['webhook-allowed-origin'], this.options.origin, this.options.port);
      this.options.log(`upstream validate ${urlForLog(url)} ${response.status} ${ok ? 'ok' : 'refused'} ${Date.now() - started}ms`);
      return ok ? undefined : describeValidationFailure(response.status);
    } catch (e) {
      const reason = e instanceof WebhookTransportError ? e.message : String(e);
      this.options.log(`upstream validate ${urlForLog(url)} failed: ${logValue(reason)}`);
      return reason;
    }
  }

  close(): void {
    this.client.close();
  }
}
