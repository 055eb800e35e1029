import type { RpcHttpData, RpcInvocationRequest, RpcNullableString, RpcTypedData } from './core-types';

/** The parts of an incoming HTTP request the host hands to a function, already read off the socket. */
export interface IncomingHttp {
  readonly method: string;
  /** Absolute URL as the client addressed it. */
  readonly url: string;
  /** Raw Node header map (`IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The decoded query pairs of `url` when the caller has already parsed it (saves parsing the URL again per request). */
  readonly query?: Iterable<readonly [string, string]>;
}

/**
 * The RPC `http` typed data the Functions host sends the worker for an HTTP trigger
 * (what `@azure/functions` turns into `HttpRequest` in converters/fromRpcTypedData.ts).
 * As the host does for a worker with the `UseNullableValueDictionaryForHttp` capability (the Node.js
 * worker has it), headers, query and route parameters travel only as `nullableHeaders`,
 * `nullableQuery` and `nullableParams` (`{ value }` per entry), and `body` only when the request has one.
 * Repeated query keys are joined with `,`, as the host's `StringValues` are.
 */
export function toRpcHttp(req: IncomingHttp): RpcHttpData {
  const headers = Object.create(null) as Record<string, RpcNullableString>;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = { value: Array.isArray(value) ? value.join(', ') : value };
  }
  // Null prototype: query names are client-controlled ("constructor", "__proto__").
  const query = Object.create(null) as Record<string, RpcNullableString>;
  for (const [key, value] of req.query ?? new URL(req.url).searchParams) {
    const seen = query[key];
    query[key] = { value: seen ? `${seen.value},${value}` : value };
  }
  const params = Object.create(null) as Record<string, RpcNullableString>;
  for (const [key, value] of Object.entries(req.params)) params[key] = { value };
  return {
    method: req.method.toUpperCase(),
    url: req.url,
    nullableHeaders: headers,
    nullableQuery: query,
    nullableParams: params,
    ...(req.body.byteLength > 0 ? { body: { bytes: req.body } } : {}),
    identities: [],
    cookies: [],
  };
}

/** The plain `{ name: value }` form of a nullable map (for trigger metadata and logs). */
export function plainValues(map: Readonly<Record<string, RpcNullableString>> | null | undefined): Record<string, string> {
  const plain = Object.create(null) as Record<string, string>;
  for (const [key, entry] of Object.entries(map ?? {})) plain[key] = entry.value ?? '';
  return plain;
}

/** A whole invocation request for an HTTP-triggered function. */
export function toInvocationRequest(
  invocationId: string,
  functionId: string,
  triggerBindingName: string,
  http: RpcHttpData,
): RpcInvocationRequest & { invocationId: string } {
  // `@azure/functions` ignores trigger metadata for HTTP triggers (fromRpcTriggerMetadata), so these two
  // JSON texts are only built if something reads them, not on every request.
  const triggerMetadata: Record<string, RpcTypedData> = {
    Query: new LazyPlainJson(http.nullableQuery),
    Headers: new LazyPlainJson(http.nullableHeaders),
  };
  for (const [name, entry] of Object.entries(http.nullableParams ?? {})) triggerMetadata[name] = { string: entry.value ?? '' };
  return {
    invocationId,
    functionId,
    inputData: [{ name: triggerBindingName, data: { http } }],
    triggerMetadata,
  };
}

/**
 * Typed data `{ json }` of a nullable map's plain values, serialized on first read (then kept). A class
 * with its getter on the prototype: cheaper to create per request than an object literal with a getter
 * and a closure.
 */
class LazyPlainJson implements RpcTypedData {
  readonly #map: Readonly<Record<string, RpcNullableString>> | null | undefined;
  #text: string | undefined;
  constructor(map: Readonly<Record<string, RpcNullableString>> | null | undefined) {
    this.#map = map;
  }
  get json(): string {
    this.#text ??= JSON.stringify(plainValues(this.#map));
    return this.#text;
  }
}
