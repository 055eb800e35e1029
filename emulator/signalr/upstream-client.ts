import { trafficIf, type Log } from '../log';
import { createHmac } from 'node:crypto';
import { WebhookClient } from '../upstream/webhook-client';
import { ruleFor, type UpstreamRule } from './upstream-rules';

/**
 * Upstream requests in Serverless mode (docs/protocol/signalr.md §5): one POST per event to the hub's
 * URL template, with the X-ASRS-* headers and `X-ASRS-Signature: sha256=<hex>[,sha256=<hex>]`, the
 * HMAC-SHA256 of the connection id under each access key. With local auth disabled there are no keys,
 * so no signature; an upstream with managed-identity auth gets `Authorization: Bearer <token>` of the
 * service's identity for the configured resource instead (docs/protocol/signalr.md §6.4).
 */

export type UpstreamCategory = 'connections' | 'messages';

export interface UpstreamEvent {
  readonly hub: string;
  readonly category: UpstreamCategory;
  /** `connected` / `disconnected`, or the invocation's target. */
  readonly event: string;
  readonly connectionId: string;
  readonly userId?: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** The query of the client's connect request, without the access token. */
  readonly clientQuery: string;
  readonly contentType: 'application/json' | 'application/x-msgpack';
  readonly body: Uint8Array;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export function upstreamSignature(keys: readonly string[], connectionId: string): string {
  return keys.map((k) => `sha256=${createHmac('sha256', k).update(connectionId, 'utf8').digest('hex')}`).join(',');
}

/** `{hub}`, `{category}` and `{event}` in a URL template, each URL-encoded. */
export function expandUrlTemplate(template: string, event: Pick<UpstreamEvent, 'hub' | 'category' | 'event'>): string {
  return template.replace(/\{(hub|category|event)\}/gi, (_m, name: string) => encodeURIComponent(event[name.toLowerCase() as 'hub' | 'category' | 'event']));
}

/** The claims as the service forwards them: a JSON array of `{ Type, Value }`, without the token plumbing. */
export function userClaimsHeader(claims: Readonly<Record<string, unknown>>): string {
  const skip = new Set(['aud', 'exp', 'iat', 'nbf']);
  const list: { Type: string; Value: string }[] = [];
  for (const [type, value] of Object.entries(claims)) {
    if (skip.has(type)) continue;
    for (const v of Array.isArray(value) ? value : [value]) list.push({ Type: type, Value: typeof v === 'string' ? v : JSON.stringify(v) });
  }
  return JSON.stringify(list);
}

export function upstreamHeaders(keys: readonly string[], e: UpstreamEvent, bearerToken?: string): Record<string, string> {
  return {
    'Content-Type': e.contentType,
    'X-ASRS-Connection-Id': e.connectionId,
    'X-ASRS-Hub': e.hub,
    'X-ASRS-Category': e.category,
    'X-ASRS-Event': e.event,
    ...(keys.length > 0 ? { 'X-ASRS-Signature': upstreamSignature(keys, e.connectionId) } : {}),
    ...(bearerToken !== undefined ? { Authorization: `Bearer ${bearerToken}` } : {}),
    'X-ASRS-User-Claims': userClaimsHeader(e.claims),
    ...(e.userId !== undefined ? { 'X-ASRS-User-Id': e.userId } : {}),
    ...(e.clientQuery !== '' ? { 'X-ASRS-Client-Query': e.clientQuery } : {}),
  };
}

/** Where a hub's events go, and how the upstream authenticates the service. */
export interface UpstreamTarget {
  readonly urlTemplate: string;
  /** `auth: { type: "ManagedIdentity", managedIdentity: { resource } }`: the token's resource. */
  readonly managedIdentityResource?: string;
}

export interface UpstreamClientOptions {
  /** Empty when local auth is disabled: no X-ASRS-Signature then. */
  readonly keys: readonly string[];
  /** Target by hub (lower-case hub name); `*` applies to every hub. */
  readonly templates: ReadonlyMap<string, UpstreamTarget>;
  /** Ordered upstream templates with patterns (`--config`), tried before `templates` (docs/protocol/signalr.md §5.5). */
  readonly rules?: readonly UpstreamRule[];
  /** Tokens of the service's managed identity, by resource; without it a managed-identity upstream gets no event. */
  readonly identityToken?: (resource: string) => Promise<string>;
  readonly timeoutMs: number;
  readonly log: Log;
}

export class UpstreamClient {
  /**
   * Keep-alive connections to the upstreams, as for Web PubSub's event handlers. Never closed: the
   * `disconnected` events of a shutdown still go out, and idle sockets do not hold the process open.
   */
  private readonly client = new WebhookClient();

  constructor(private readonly options: UpstreamClientOptions) {}

  templateFor(e: Pick<UpstreamEvent, 'hub' | 'category' | 'event'>): UpstreamTarget | undefined {
    return ruleFor(this.options.rules ?? [], e) ?? this.options.templates.get(e.hub.toLowerCase()) ?? this.options.templates.get('*');
  }

  /** undefined when the event has no upstream. Network errors and timeouts reject. */
  async send(e: UpstreamEvent): Promise<UpstreamResponse | undefined> {
    const target = this.templateFor(e);
    if (target === undefined) return undefined;
    const url = expandUrlTemplate(target.urlTemplate, e);
    let bearer: string | undefined;
    if (target.managedIdentityResource !== undefined) {
      if (!this.options.identityToken) throw new Error('the upstream asks for managed-identity auth, but the service has no identity (run with --entra)');
      bearer = await this.options.identityToken(target.managedIdentityResource);
    }
    const response = await this.client.send(
      { method: 'POST', url, headers: upstreamHeaders(this.options.keys, e, bearer), body: Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength) },
      this.options.timeoutMs,
    );
    this.options.log(`signalr upstream ${e.category}/${e.event} hub=${e.hub} id=${e.connectionId} -> ${response.status}`, trafficIf(response.status));
    const contentType = response.headers['content-type'];
    return { status: response.status, contentType: typeof contentType === 'string' ? contentType : '', body: response.body };
  }
}
