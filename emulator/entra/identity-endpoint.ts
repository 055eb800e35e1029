import { randomUUID, timingSafeEqual } from 'node:crypto';
import { UnknownResourceError } from './access-token';
import type { LocalAuthority } from './authority';
import type { ManagedIdentity } from './entra-settings';

/**
 * The App Service managed-identity endpoint (the "REST endpoint reference" of App Service's managed
 * identity docs, api-version 2019-08-01), as the app reaches it through `IDENTITY_ENDPOINT` and
 * `IDENTITY_HEADER`:
 *
 *   GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>[&client_id=|principal_id=|mi_res_id=]
 *   X-IDENTITY-HEADER: <IDENTITY_HEADER>
 *
 * 200 `{ access_token, expires_on, resource, token_type: "Bearer", client_id }` with `expires_on` in
 * epoch seconds as a string. MSAL (under @azure/identity) sends `object_id` for an object id; it is
 * accepted as `principal_id`. Errors are `{ statusCode, message, correlationId }`, the body App
 * Service answers with; MSAL shows `message` to the caller.
 */

export const IDENTITY_ENDPOINT_PATH = '/msi/token';
export const IDENTITY_API_VERSION = '2019-08-01';

export interface IdentityResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export async function answerIdentityRequest(
  request: { method: string; query: URLSearchParams; identityHeader: string | undefined },
  authority: LocalAuthority,
): Promise<IdentityResponse> {
  const correlationId = randomUUID();
  const fail = (status: number, message: string): IdentityResponse => ({ status, body: { statusCode: status, message, correlationId } });
  if (request.method !== 'GET') return fail(405, 'Only GET is supported.');
  if (!request.identityHeader || !sameSecret(request.identityHeader, authority.settings.identityHeader)) {
    return fail(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
  }
  const q = request.query;
  if (q.get('api-version') !== IDENTITY_API_VERSION) return fail(400, `api-version must be ${IDENTITY_API_VERSION}.`);
  const resource = q.get('resource');
  if (!resource) return fail(400, 'The resource parameter is required.');

  const selectors = [
    ['client_id', q.get('client_id')],
    ['principal_id', q.get('principal_id') ?? q.get('object_id')],
    ['mi_res_id', q.get('mi_res_id')],
  ].filter((s): s is [string, string] => s[1] !== null && s[1] !== '');
  if (selectors.length > 1) return fail(400, 'Specify only one of client_id, principal_id and mi_res_id.');
  const identity = findIdentity(authority.settings.managedIdentities, selectors[0]);
  if (!identity) {
    return fail(
      400,
      selectors.length === 0
        ? 'No system-assigned managed identity is enabled on this app; name a user-assigned identity with client_id, principal_id or mi_res_id.'
        : 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
    );
  }
  try {
    const token = await authority.issue(identity, resource);
    return {
      status: 200,
      body: { access_token: token.accessToken, expires_on: String(token.expiresOn), resource, token_type: 'Bearer', client_id: identity.clientId },
    };
  } catch (e) {
    if (e instanceof UnknownResourceError) return fail(400, e.message);
    throw e;
  }
}

/**
 * Without a selector, App Service uses the app's system-assigned identity. The app in infra/ has a
 * user-assigned one only, so a bare request is refused, as it is in Azure.
 */
function findIdentity(identities: readonly ManagedIdentity[], selector: [string, string] | undefined): ManagedIdentity | undefined {
  if (!selector) return undefined;
  const [kind, raw] = selector;
  const value = raw.toLowerCase();
  return identities.find((m) =>
    kind === 'client_id' ? m.clientId === value : kind === 'principal_id' ? m.principalId === value : m.resourceId?.toLowerCase() === value,
  );
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
