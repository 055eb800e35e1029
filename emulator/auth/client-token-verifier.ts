import { BadRequestError, UnauthorizedError } from '../core/service-errors';
import { hasControlCharacters, isValidGroupName } from '../core/name-rules';
import { claimAsArray, verifyHs256, type VerifyFailure } from './hs256';

/** Who a client token says the caller is (docs/protocol/auth.md §3). */
export interface TokenIdentity {
  readonly userId: string | null;
  readonly roles: readonly string[];
  /** `webpubsub.group`: joined at connect. */
  readonly groups: readonly string[];
  /** Every claim as an array of strings, for the `connect` event (docs/protocol/cloud-events.md §6). */
  readonly claims: Readonly<Record<string, string[]>>;
}

export const ANONYMOUS: TokenIdentity = { userId: null, roles: [], groups: [], claims: {} };

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The `aud` values a client token may carry for this request (docs/protocol/auth.md §3), lower-cased:
 * `<scheme>://<host>/client/hubs/<hub>` for the request's Host header and for the configured endpoint,
 * the `/client/?hub=` form, and loopback aliases (a token minted for `localhost` used via `127.0.0.1`).
 */
export function clientAudiences(input: { hub: string; requestHost: string | undefined; endpoint: string; mqtt?: boolean }): Set<string> {
  const hosts = new Set<string>();
  const endpoint = new URL(input.endpoint);
  for (const host of [input.requestHost, endpoint.host]) {
    if (!host) continue;
    const lower = host.toLowerCase();
    hosts.add(lower);
    const m = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.exec(lower);
    if (m) for (const alias of LOOPBACK) hosts.add(alias + (m[2] ?? ''));
  }
  const hub = input.hub.toLowerCase();
  const out = new Set<string>();
  for (const host of hosts) {
    for (const scheme of ['http', 'https']) {
      const base = `${scheme}://${host}`;
      // MQTT clients: `<endpoint>/clients/mqtt/hubs/<hub>`, as @azure/web-pubsub signs it for clientProtocol "mqtt".
      if (input.mqtt) {
        out.add(`${base}/clients/mqtt/hubs/${hub}`);
        continue;
      }
      out.add(`${base}/client/hubs/${hub}`);
      out.add(`${base}/client/?hub=${hub}`);
      out.add(`${base}/client?hub=${hub}`);
    }
  }
  return out;
}

const REASONS: Record<VerifyFailure, string> = {
  malformed: 'the access token is not a valid JWT',
  'unsupported-algorithm': 'the access token must be signed with HS256',
  'bad-signature': 'the access token is not signed with an access key of this service',
  expired: 'the access token has expired',
  'not-yet-valid': 'the access token is not valid yet (nbf)',
  'missing-exp': 'the access token has no exp claim',
  'wrong-audience': 'the access token audience (aud) does not match this client URL',
};

/**
 * Verifies a client token and extracts the identity. Throws UnauthorizedError (→ HTTP 401 before the
 * upgrade) or BadRequestError for an invalid `webpubsub.group` (→ 400, docs/protocol/auth.md §3). Messages never
 * contain the token.
 */
export function verifyClientToken(token: string, options: { keys: readonly string[]; audiences: ReadonlySet<string>; now?: number }): TokenIdentity {
  const result = verifyHs256(token, {
    keys: options.keys,
    audience: (aud) => claimAsArray(aud).some((a) => options.audiences.has(a.toLowerCase().replace(/\/+$/, ''))),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  if (!result.ok) throw new UnauthorizedError(REASONS[result.reason]);
  const payload = result.payload;
  const groups = claimAsArray(payload['webpubsub.group']);
  const bad = groups.find((g) => !isValidGroupName(g));
  if (bad !== undefined) throw new BadRequestError('the token claim webpubsub.group contains an invalid group name');
  // Null prototype: a claim named "__proto__" or "constructor" stays a plain entry (docs/protocol/cloud-events.md §6).
  // The user id travels upstream in the ce-userId header (docs/protocol/cloud-events.md §3): a control character there
  // would either split the header or make every event fail, so such a token is refused up front.
  if (typeof payload.sub === 'string' && hasControlCharacters(payload.sub)) {
    throw new BadRequestError('the token claim sub contains control characters; a user id must be printable');
  }
  return new VerifiedIdentity(typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null, claimAsArray(payload.role), groups, payload);
}

/**
 * `claims` only feeds the connect event, and most hubs have no connect handler: built on first read. A
 * class rather than an object literal with a getter, which V8 defines anew per object (a runtime call
 * per upgrade).
 */
class VerifiedIdentity implements TokenIdentity {
  readonly #payload: Record<string, unknown>;
  #claims: Record<string, string[]> | undefined;

  constructor(
    readonly userId: string | null,
    readonly roles: readonly string[],
    readonly groups: readonly string[],
    payload: Record<string, unknown>,
  ) {
    this.#payload = payload;
  }

  get claims(): Record<string, string[]> {
    return (this.#claims ??= claimsOf(this.#payload));
  }
}

function claimsOf(payload: Record<string, unknown>): Record<string, string[]> {
  const claims = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of Object.entries(payload)) claims[name] = claimToStrings(value);
  return claims;
}

/** docs/protocol/cloud-events.md §6: every claim value becomes an array of strings. */
export function claimToStrings(value: unknown): string[] {
  const one = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  return Array.isArray(value) ? value.map(one) : [one(value)];
}
