import { decodeProtectedHeader } from 'jose';
import { UnauthorizedError } from '../core/service-errors';
import { authorizeOperation, invalidToken, type EntraTokenVerifier } from '../entra/data-plane-auth';
import type { RoleAssignment } from '../entra/entra-settings';
import { VerifiedTokenCache } from '../auth/verified-token-cache';
import { authenticateRequest, type RestRequestUrl, type RestTokenCache } from './rest-auth';

/**
 * Who may call the data plane: access-key JWTs (HS256, rest-auth.ts) unless local auth is disabled, and
 * Microsoft Entra tokens (RS256, checked against the local authority and the RBAC role assignments)
 * when the authority runs. The token's `alg` says which kind it is; each kind is then verified in
 * full by its own rules, so a token of one kind never passes the other's check.
 */
export type RestAuthenticator = (authorization: string | undefined, url: RestRequestUrl, operation: string) => Promise<void>;

export interface RestAuthenticatorOptions {
  readonly keys: readonly string[];
  /** `disableLocalAuth: true`: access keys are gone, so tokens signed with them are refused. */
  readonly localAuthDisabled: boolean;
  readonly entra?: { readonly verify: EntraTokenVerifier; readonly roleAssignments: readonly RoleAssignment[] };
}

/** Text of the refusal when local auth is off (the service deletes the keys; their tokens stop working). */
export const LOCAL_AUTH_DISABLED_MESSAGE =
  'Local authentication (access keys) is disabled on this resource (disableLocalAuth); use a Microsoft Entra token for https://webpubsub.azure.com.';

export function createRestAuthenticator(options: RestAuthenticatorOptions): RestAuthenticator {
  const tokens: RestTokenCache = new VerifiedTokenCache();
  return async (authorization, url, operation) => {
    const token = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
    let alg: unknown;
    try {
      alg = token ? decodeProtectedHeader(token).alg : undefined;
    } catch {
      alg = undefined;
    }
    if (alg === 'RS256' && options.entra) {
      const principal = await options.entra.verify(token!);
      authorizeOperation(principal, operation, options.entra.roleAssignments);
      return;
    }
    if (options.localAuthDisabled) {
      if (!authorization) {
        throw new UnauthorizedError('The Authorization header is missing; send Authorization: Bearer <Microsoft Entra token>.', undefined, {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      throw invalidToken(alg === 'HS256' ? LOCAL_AUTH_DISABLED_MESSAGE : 'The bearer token is not a Microsoft Entra token (RS256).');
    }
    authenticateRequest(authorization, url, options.keys, undefined, tokens);
  };
}
