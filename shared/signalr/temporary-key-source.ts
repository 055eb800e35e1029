import { UpstreamServiceError } from '../http/errors';

/**
 * The keyless app's signing key for client tokens (docs/protocol/signalr.md §6.2). Without an access key,
 * the app asks the service for a temporary one, `GET <endpoint>/api/auth/accessKey?api-version=2024-12-01`
 * with its Microsoft Entra token, answered `{ KeyId, AccessKey }`. The service honours a key for 90 minutes;
 * it is reused for 55 and then fetched anew, so a key has at least 35 minutes left when it signs a token,
 * and negotiate caps keyless client tokens at KEYLESS_CLIENT_TOKEN_MAX_MINUTES (transports such as
 * Long Polling present the token on every request). Concurrent callers share one request.
 */

export const ACCESS_KEY_API_VERSION = '2024-12-01';
export const TEMPORARY_KEY_REUSE_MS = 55 * 60 * 1000;
export const KEYLESS_CLIENT_TOKEN_MAX_MINUTES = 30;

export interface TemporaryKey {
  readonly keyId: string;
  readonly accessKey: string;
}

export type TemporaryKeySource = () => Promise<TemporaryKey>;

export function createTemporaryKeySource(args: {
  endpoint: string;
  /** A Microsoft Entra token for `https://signalr.azure.com/.default`. */
  token: () => Promise<string>;
  fetchImpl?: typeof fetch;
  now?: () => number;
}): TemporaryKeySource {
  const doFetch = args.fetchImpl ?? fetch;
  const now = args.now ?? Date.now;
  let current: { pending: Promise<TemporaryKey>; fetchedAt: number } | undefined;

  async function fetchKey(): Promise<TemporaryKey> {
    const url = `${args.endpoint}/api/auth/accessKey?api-version=${ACCESS_KEY_API_VERSION}`;
    let response: Response;
    try {
      response = await doFetch(url, { method: 'GET', headers: { Authorization: `Bearer ${await args.token()}` } });
    } catch (e) {
      throw new UpstreamServiceError(`SignalR Service at ${args.endpoint} cannot be reached`, undefined, { cause: e });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new UpstreamServiceError(`SignalR Service refused GET /api/auth/accessKey (${response.status})`, response.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const { KeyId, AccessKey } = (body ?? {}) as Record<string, unknown>;
    if (typeof KeyId !== 'string' || KeyId === '' || typeof AccessKey !== 'string' || AccessKey === '')
      throw new UpstreamServiceError('SignalR Service answered /api/auth/accessKey without KeyId and AccessKey');
    return { keyId: KeyId, accessKey: AccessKey };
  }

  return async () => {
    if (current && now() - current.fetchedAt < TEMPORARY_KEY_REUSE_MS) {
      const key = await current.pending.catch(() => undefined);
      if (key) return key;
    }
    const attempt = { pending: fetchKey(), fetchedAt: now() };
    current = attempt;
    try {
      return await attempt.pending;
    } catch (e) {
      // A failure is not cached: the next negotiate tries again.
      if (current === attempt) current = undefined;
      throw e;
    }
  };
}
