import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { AzureKeyCredential, WebPubSubServiceClient, type WebPubSubServiceClientOptions } from '@azure/web-pubsub';
import type { ServiceSettings } from '../config/app-config';
import { isWebPubSubError, UpstreamServiceError } from '../http/errors';
import { excludedConnectionsFilter } from './excluded-filter';
import type { GroupMember, HubService, SendOptions } from './hub-service';
import { createCallDeadlines, type CallDeadlines } from './call-deadline';
import { createRestTokenCache, type RestTokenCache } from './rest-token-cache';
import { removeUnusedPolicies, useCachedRestTokens } from './sdk-pipeline';
import { createRestHttpClient } from './rest-http-client';
import type { HttpClient } from '@azure/core-rest-pipeline';

/**
 * The Web PubSub REST API through `@azure/web-pubsub`: one `WebPubSubServiceClient` per hub, created
 * lazily once. Every failure becomes UpstreamServiceError (502) carrying the service's status; an
 * unreachable service answers quickly (one retry, 10 s in all) rather than hanging a request.
 */

const REQUEST_TIMEOUT_MS = 10_000;
/** docs/protocol/rest-api.md §2 op 21: `maxpagesize` is 1–200. */
const MAX_PAGE_SIZE = 200;

export interface ServiceClients {
  /** The SDK client of a hub (case as configured). */
  client(hub: string): WebPubSubServiceClient;
  /** The HubService of a hub. */
  forHub(hub: string): HubService;
}

/**
 * The SDK hands `credential.key` straight to jsonwebtoken 9, which re-parses a string secret on every
 * call (createPrivateKey, about 300 µs each). jsonwebtoken also accepts a KeyObject, built here on the
 * first read and kept. In key mode nothing reads it: REST calls are signed by rest-token-cache.ts and
 * client tokens by the app's own issuer; only the SDK's `getClientAccessToken` would.
 */
export class SecretKeyCredential extends AzureKeyCredential {
  #secret: KeyObject | undefined;
  override get key(): string {
    this.#secret ??= createSecretKey(Buffer.from(super.key, 'utf8'));
    return this.#secret as unknown as string;
  }
  override update(newKey: string): void {
    super.update(newKey);
    this.#secret = undefined;
  }
}

function createDefaultCredential(clientId: string | undefined): TokenCredential {
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}

/** One transport for every client of the process, so they share keep-alive sockets. */
let restHttpClient: HttpClient | undefined;

/**
 * The SDK options of every client. Retries (the SDK's default policy): network errors (refused, reset,
 * timed out, DNS), 408 and 5xx except 501/505 with exponential back-off, and 429/503 after `Retry-After`;
 * one retry keeps a failing send inside the request's 10 s. The transport is rest-http-client.ts.
 */
export function sdkClientOptions(endpoint: string): WebPubSubServiceClientOptions {
  restHttpClient ??= createRestHttpClient();
  return {
    httpClient: restHttpClient,
    // docs/protocol/sdk-notes.md §1.2: the SDK refuses http:// unless told; only the local emulator is http.
    ...(endpoint.startsWith('http://') ? { allowInsecureConnection: true } : {}),
    retryOptions: { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  };
}

export function createServiceClients(service: ServiceSettings): ServiceClients {
  const options = sdkClientOptions(service.endpoint);
  let credential: TokenCredential | undefined;
  // One key credential for every hub: the key is the same, and nothing reads it unless getClientAccessToken does.
  let keyCredential: SecretKeyCredential | undefined;
  // One cache for every hub: the URL names the hub, and the key is the same.
  let tokens: RestTokenCache | undefined;
  const clients = new Map<string, WebPubSubServiceClient>();
  const services = new Map<string, HubService>();
  const client = (hub: string): WebPubSubServiceClient => {
    let c = clients.get(hub);
    if (!c) {
      if (service.keyless) {
        // The pipeline's bearer-token policy caches the Microsoft Entra token and refreshes it before it expires.
        credential ??= createDefaultCredential(service.managedIdentityClientId);
        c = new WebPubSubServiceClient(service.endpoint, credential, hub, options);
      } else {
        keyCredential ??= new SecretKeyCredential(service.accessKeys[0]!);
        c = new WebPubSubServiceClient(service.endpoint, keyCredential, hub, options);
        tokens ??= createRestTokenCache({ accessKey: service.accessKeys[0]! });
        useCachedRestTokens(c, tokens);
      }
      removeUnusedPolicies(c);
      clients.set(hub, c);
    }
    return c;
  };
  return {
    client,
    forHub(hub) {
      let s = services.get(hub);
      if (!s) {
        s = createHubService(client(hub), service.endpoint);
        services.set(hub, s);
      }
      return s;
    },
  };
}

/**
 * A HubService over one SDK client; `endpoint` only names the service in error messages. `deadline`
 * gives each call its abort signal (by default one shared per 100 ms slice, call-deadline.ts).
 */
export function createHubService(
  client: WebPubSubServiceClient,
  endpoint: string,
  timeoutMs = REQUEST_TIMEOUT_MS,
  deadline: CallDeadlines = createCallDeadlines(timeoutMs),
): HubService {
  const call = async <T>(what: string, fn: (o: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> => {
    try {
      // An abort signal rather than requestOptions.timeout: @typespec/ts-http-runtime clears its own
      // timeout timer only when a response arrives, so every refused connection left a live 10 s
      // timer behind. The deadline's timer does not keep the process alive.
      return await fn({ abortSignal: deadline() });
    } catch (e) {
      throw toServiceError(e, what, endpoint);
    }
  };
  return {
    hub: client.hubName,
    sendToAll: (data, o) =>
      call('send to all', (ro) => {
        const { message, extra } = toMessage(data, o);
        return client.sendToAll(message as never, { ...ro, ...extra, ...(o?.excluded?.length ? { excludedConnections: [...o.excluded] } : {}) });
      }),
    sendToGroup: (group, data, o) =>
      call('send to group', (ro) => {
        const { message, extra } = toMessage(data, o);
        return client.group(group).sendToAll(message as never, { ...ro, ...extra, ...(o?.excluded?.length ? { excludedConnections: [...o.excluded] } : {}) });
      }),
    sendToUser: (userId, data, o) =>
      call('send to user', (ro) => {
        const { message, extra } = toMessage(data, o);
        const filter = o?.excluded?.length ? excludedConnectionsFilter(o.excluded) : undefined;
        return client.sendToUser(userId, message as never, { ...ro, ...extra, ...(filter ? { filter } : {}) });
      }),
    sendToConnection: (connectionId, data, o) =>
      call('send to connection', (ro) => {
        const { message, extra } = toMessage(data, o);
        return client.sendToConnection(connectionId, message as never, { ...ro, ...extra });
      }),
    addConnectionToGroup: (group, connectionId) => call('add connection to group', (ro) => client.group(group).addConnection(connectionId, ro)),
    removeConnectionFromGroup: (group, connectionId) => call('remove connection from group', (ro) => client.group(group).removeConnection(connectionId, ro)),
    addUserToGroup: (group, userId) => call('add user to group', (ro) => client.group(group).addUser(userId, ro)),
    removeUserFromGroup: (group, userId) => call('remove user from group', (ro) => client.group(group).removeUser(userId, ro)),
    closeConnection: (connectionId, reason) => call('close connection', (ro) => client.closeConnection(connectionId, { ...ro, ...(reason ? { reason } : {}) })),
    connectionExists: (connectionId) => call('check connection', (ro) => client.connectionExists(connectionId, ro)),
    listGroupConnections: (group, top) =>
      call('list group connections', async (ro) => {
        const members: GroupMember[] = [];
        // docs/protocol/rest-api.md §5: listConnections returns a Promise of the paged iterator; the largest page the
        // service allows keeps a big group to few requests.
        for await (const m of await client.group(group).listConnections({ ...ro, maxPageSize: MAX_PAGE_SIZE, ...(top === undefined ? {} : { top }) })) {
          members.push(m.userId ? { connectionId: m.connectionId, userId: m.userId } : { connectionId: m.connectionId });
        }
        return members;
      }),
  };
}

/**
 * What the SDK needs for each data type (docs/protocol/rest-api.md §3): a JSON value (the SDK stringifies it, so a
 * string becomes the JSON text `"…"`), a string with `contentType: 'text/plain'`, or bytes.
 */
function toMessage(data: unknown, options?: Pick<SendOptions, 'dataType'>): { message: unknown; extra: { contentType?: 'text/plain' } } {
  switch (options?.dataType ?? 'json') {
    case 'text':
      if (typeof data !== 'string') throw new TypeError('text messages must be strings');
      return { message: data, extra: { contentType: 'text/plain' } };
    case 'binary':
      if (data instanceof Uint8Array) return { message: data, extra: {} };
      if (data instanceof ArrayBuffer) return { message: new Uint8Array(data), extra: {} };
      throw new TypeError('binary messages must be a Uint8Array or ArrayBuffer');
    case 'json': {
      const text = data === undefined ? undefined : JSON.stringify(data);
      if (text === undefined) throw new TypeError('json messages must be JSON-serializable');
      // Re-parse: plain objects only (the SDK inspects `constructor`), toJSON applied once.
      return { message: JSON.parse(text) as unknown, extra: {} };
    }
  }
}

/** RestError → UpstreamServiceError with the service's status; network failures name the endpoint. */
export function toServiceError(e: unknown, what: string, endpoint: string): Error {
  if (isWebPubSubError(e) || e instanceof TypeError) return e;
  const err = e as { statusCode?: unknown; code?: unknown; name?: unknown; message?: unknown };
  if (typeof err?.statusCode === 'number') {
    const detail = typeof err.message === 'string' ? err.message.replace(/\s+/g, ' ').slice(0, 300) : '';
    return new UpstreamServiceError(`Web PubSub service refused to ${what}: ${err.statusCode}${detail ? ` ${detail}` : ''}`, err.statusCode, { cause: e });
  }
  if (err?.name === 'AbortError' || err?.code === 'ETIMEDOUT' || err?.code === 'REQUEST_TIMEOUT') {
    return new UpstreamServiceError(`Web PubSub service at ${endpoint} did not answer in time (${what})`, undefined, { cause: e });
  }
  if (err?.name === 'CredentialUnavailableError' || err?.name === 'AuthenticationError' || err?.name === 'AggregateAuthenticationError') {
    return new UpstreamServiceError(`no Microsoft Entra token for the Web PubSub service (${what}); check the managed identity`, undefined, { cause: e });
  }
  // Transport failures (the SDK's RestError without a status: refused, reset, DNS…). Anything else is a
  // fault of this app (a module that failed to load, a bug) and must surface as one, not as "unreachable".
  if (err?.name === 'RestError' || (typeof err?.code === 'string' && /^E(?!RR_)[A-Z_]+$/.test(err.code))) {
    return new UpstreamServiceError(`Web PubSub service unreachable at ${endpoint} (${what})`, undefined, { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}
