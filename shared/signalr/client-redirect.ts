import { SignJWT } from 'jose';

/**
 * The negotiate answer of a serverless app (docs/protocol/signalr.md §1.1): a redirect
 * `{ url, accessToken }` that @microsoft/signalr follows to the service's client endpoint. The token
 * is HS256 with the access key, `aud` = that client URL, the user in `nameid`. Keyless, the key is a
 * temporary one from the service, named by `kid` in the header (docs/protocol/signalr.md §6.2).
 */

export interface SignalRRedirect {
  readonly url: string;
  readonly accessToken: string;
}

export function clientUrl(endpoint: string, hub: string): string {
  return `${endpoint}/client/?hub=${encodeURIComponent(hub)}`;
}

export async function createClientRedirect(args: {
  endpoint: string;
  hub: string;
  userId: string;
  accessKey: string;
  /** The temporary key's id (keyless). */
  keyId?: string;
  lifetimeMinutes: number;
  now?: number;
}): Promise<SignalRRedirect> {
  const url = clientUrl(args.endpoint, args.hub);
  const now = Math.floor((args.now ?? Date.now()) / 1000);
  const accessToken = await new SignJWT({ nameid: args.userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(args.keyId !== undefined ? { kid: args.keyId } : {}) })
    .setAudience(url)
    .setIssuedAt(now)
    .setExpirationTime(now + args.lifetimeMinutes * 60)
    .sign(new TextEncoder().encode(args.accessKey));
  return { url, accessToken };
}
