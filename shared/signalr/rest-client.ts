import { SignJWT } from 'jose';
import { UpstreamServiceError } from '../http/errors';
import { sharedHttpExchange, type HttpExchange } from '../http/http-exchange';

/**
 * The SignalR Service data-plane REST API, api-version 2022-06-01 (docs/protocol/signalr.md §4).
 * With access keys each call carries a fresh HS256 token whose `aud` is the request URL without its
 * query; keyless, a Microsoft Entra token for `https://signalr.azure.com/.default`.
 */

export const SIGNALR_API_VERSION = '2022-06-01';

/** A call, its reply included, gives up after this (502), like the Web PubSub calls (shared/hub/service-client.ts). */
export const SIGNALR_REQUEST_TIMEOUT_MS = 10_000;

export type BearerTokenSource = (audience: string) => Promise<string>;

export interface SignalRService {
  sendToAll(target: string, args: readonly unknown[], excluded?: readonly string[]): Promise<void>;
  sendToUser(userId: string, target: string, args: readonly unknown[]): Promise<void>;
  sendToGroup(group: string, target: string, args: readonly unknown[], excluded?: readonly string[]): Promise<void>;
  sendToConnection(connectionId: string, target: string, args: readonly unknown[]): Promise<void>;
  addConnectionToGroup(group: string, connectionId: string): Promise<void>;
  removeConnectionFromGroup(group: string, connectionId: string): Promise<void>;
  addUserToGroup(group: string, userId: string): Promise<void>;
  removeUserFromGroup(group: string, userId: string): Promise<void>;
  closeConnection(connectionId: string, reason?: string): Promise<void>;
  connectionExists(connectionId: string): Promise<boolean>;
}

/** Signs REST tokens with the primary access key. */
export function keyTokenSource(accessKey: string, lifetimeSeconds = 300): BearerTokenSource {
  const secret = new TextEncoder().encode(accessKey);
  return (audience) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(secret);
  };
}

export function createSignalRService(args: {
  endpoint: string;
  hub: string;
  token: BearerTokenSource;
  /** The HTTP transport (tests pass their own); by default the process's shared keep-alive exchange. */
  exchange?: HttpExchange;
  timeoutMs?: number;
}): SignalRService {
  const exchange = args.exchange ?? sharedHttpExchange();
  const timeoutMs = args.timeoutMs ?? SIGNALR_REQUEST_TIMEOUT_MS;
  const base = `${args.endpoint}/api/hubs/${encodeURIComponent(args.hub)}`;
  const seg = encodeURIComponent;

  async function call(method: string, path: string, options: { body?: unknown; query?: [string, string][]; allow404?: boolean } = {}): Promise<number> {
    const url = `${base}${path}`;
    const query = new URLSearchParams([['api-version', SIGNALR_API_VERSION], ...(options.query ?? [])]);
    let status: number;
    try {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const headers: Record<string, string> = { Authorization: `Bearer ${await args.token(url)}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      // The reply body is read whole (so the connection is reused) and dropped: error texts may echo input.
      ({ status } = await exchange({ url: `${url}?${query}`, method, headers, ...(body !== undefined ? { body } : {}), timeoutMs }));
    } catch (e) {
      const late = (e as Error).name === 'AbortError';
      throw new UpstreamServiceError(`SignalR Service at ${args.endpoint} ${late ? `did not answer within ${timeoutMs} ms` : 'cannot be reached'}`, undefined, {
        cause: e,
      });
    }
    if ((status >= 200 && status < 300) || (options.allow404 && status === 404)) return status;
    throw new UpstreamServiceError(`SignalR Service refused ${method} ${path.replace(/\/[^/]+/g, (m) => (m.startsWith('/:') ? m : '/…'))} (${status})`, status);
  }
  const send = (path: string, target: string, a: readonly unknown[], excluded: readonly string[] = []) =>
    call('POST', path, { body: { target, arguments: a }, query: excluded.map((id) => ['excluded', id] as [string, string]) }).then(() => undefined);

  return {
    sendToAll: (target, a, excluded) => send('/:send', target, a, excluded),
    sendToUser: (userId, target, a) => send(`/users/${seg(userId)}/:send`, target, a),
    sendToGroup: (group, target, a, excluded) => send(`/groups/${seg(group)}/:send`, target, a, excluded),
    sendToConnection: (id, target, a) => send(`/connections/${seg(id)}/:send`, target, a),
    addConnectionToGroup: (group, id) => call('PUT', `/groups/${seg(group)}/connections/${seg(id)}`).then(() => undefined),
    removeConnectionFromGroup: (group, id) => call('DELETE', `/groups/${seg(group)}/connections/${seg(id)}`).then(() => undefined),
    addUserToGroup: (group, user) => call('PUT', `/users/${seg(user)}/groups/${seg(group)}`).then(() => undefined),
    removeUserFromGroup: (group, user) => call('DELETE', `/users/${seg(user)}/groups/${seg(group)}`).then(() => undefined),
    closeConnection: (id, reason) => call('DELETE', `/connections/${seg(id)}`, { query: reason ? [['reason', reason]] : [] }).then(() => undefined),
    connectionExists: async (id) => (await call('HEAD', `/connections/${seg(id)}`, { allow404: true })) === 200,
  };
}
