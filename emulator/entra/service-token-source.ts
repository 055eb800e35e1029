import type { IssuedToken, LocalAuthority } from './authority';
import type { ManagedIdentity } from './entra-settings';

/**
 * Tokens of a resource's own identity (Web PubSub's unless `identity` is given), for the `resource` of each upstream handler, cached
 * as a managed-identity client caches them: reused until close to expiry (the last fifth of the
 * lifetime, at most 5 minutes before it), then fetched anew. Concurrent callers share one issuance.
 */
export function createServiceTokenSource(
  authority: LocalAuthority,
  onIssued: (token: IssuedToken, resource: string) => void = () => {},
  now: () => number = () => Date.now() / 1000,
  identity: ManagedIdentity = authority.settings.serviceIdentity,
): (resource: string) => Promise<string> {
  const cache = new Map<string, Promise<IssuedToken>>();
  const margin = Math.min(300, authority.settings.tokenLifetimeSeconds / 5);
  return async (resource) => {
    const cached = cache.get(resource);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresOn - now() > margin) return token.accessToken;
      if (cache.get(resource) !== cached) return (await cache.get(resource)!).accessToken;
    }
    const pending = authority.issue(identity, resource);
    cache.set(resource, pending);
    try {
      const token = await pending;
      onIssued(token, resource);
      return token.accessToken;
    } catch (e) {
      cache.delete(resource);
      throw e;
    }
  };
}
