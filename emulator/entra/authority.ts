import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { accessTokenClaims, issuerV1, issuerV2, resolveResource, type TokenVersion } from './access-token';
import type { EntraSettings, ManagedIdentity } from './entra-settings';

/**
 * The local Microsoft Entra authority: one tenant, one RS256 signing key with its certificate, the
 * OpenID configuration and JWKS documents at the paths login.microsoftonline.com uses, and token
 * issuance. Paths, relative to the authority's base URL:
 * - `<tid>/v2.0/.well-known/openid-configuration` and `<tid>/.well-known/openid-configuration`;
 * - `<tid>/discovery/v2.0/keys` and `<tid>/discovery/keys` (the same keys, as in Entra).
 */

export interface SigningMaterial {
  /** PKCS#8 PEM. */
  readonly keyPem: string;
  /** The key's certificate (PEM): published as `x5c`; its SHA-1 thumbprint is `kid` and `x5t`. */
  readonly certPem: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  /** Seconds since the epoch. */
  readonly expiresOn: number;
  readonly audience: string;
  readonly version: TokenVersion;
}

export class LocalAuthority {
  readonly #key: KeyObject;
  readonly #jwk: JWK;
  readonly kid: string;

  /**
   * `baseUrl` is read on each use: the emulator learns its port only once it listens.
   * `now` returns seconds since the epoch.
   */
  constructor(
    readonly settings: EntraSettings,
    signing: SigningMaterial,
    private readonly baseUrl: () => string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.#key = createPrivateKey(signing.keyPem);
    const cert = new X509Certificate(signing.certPem);
    // Entra's kid and x5t are both the base64url SHA-1 thumbprint of the signing certificate.
    this.kid = createHash('sha1').update(cert.raw).digest('base64url');
    const pub = createPublicKey(this.#key).export({ format: 'jwk' }) as JWK;
    this.#jwk = { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: pub.n!, e: pub.e!, x5c: [cert.raw.toString('base64')] };
  }

  get authority(): string {
    const base = this.baseUrl();
    return base.endsWith('/') ? base : `${base}/`;
  }

  get issuerV1(): string {
    return issuerV1(this.authority, this.settings.tenantId);
  }

  get issuerV2(): string {
    return issuerV2(this.authority, this.settings.tenantId);
  }

  get jwksUrlV2(): string {
    return `${this.authority}${this.settings.tenantId}/discovery/v2.0/keys`;
  }

  /** The public signing keys, as `discovery/v2.0/keys` serves them. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.#jwk }] };
  }

  /** The OpenID Provider configuration (the fields a token validator reads, in Entra's shape). */
  openIdConfiguration(version: TokenVersion): Record<string, unknown> {
    const tenant = `${this.authority}${this.settings.tenantId}`;
    const v2 = version === 2;
    return {
      token_endpoint: v2 ? `${tenant}/oauth2/v2.0/token` : `${tenant}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: v2 ? this.jwksUrlV2 : `${tenant}/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2 ? this.issuerV2 : this.issuerV1,
      authorization_endpoint: v2 ? `${tenant}/oauth2/v2.0/authorize` : `${tenant}/oauth2/authorize`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'ver', v2 ? 'azp' : 'appid'],
      tenant_region_scope: 'LOCAL',
    };
  }

  /** An access token of `identity` for `resource`; throws UnknownResourceError for an unregistered resource. */
  async issue(identity: ManagedIdentity, resource: string): Promise<IssuedToken> {
    const resolved = resolveResource(resource, this.settings.applications, this.settings.tenantId);
    const claims = accessTokenClaims({
      authority: this.authority,
      tenantId: this.settings.tenantId,
      identity,
      resource: resolved,
      now: this.now(),
      lifetimeSeconds: this.settings.tokenLifetimeSeconds,
    });
    // x5t is a legacy header Entra still writes in v1 tokens only.
    const header = { alg: 'RS256', typ: 'JWT', ...(resolved.version === 1 ? { x5t: this.kid } : {}), kid: this.kid };
    const accessToken = await new SignJWT({ ...claims }).setProtectedHeader(header).sign(this.#key);
    return { accessToken, expiresOn: claims.exp as number, audience: resolved.audience, version: resolved.version };
  }
}
