import { jwtVerify } from 'jose';

/**
 * REST calls carry `Authorization: Bearer <JWT>` signed HS256 with an access key; `aud` is the
 * request URL without its query (docs/protocol/signalr.md §1.3). As for client tokens, only the path
 * of the audience is compared, so the same token works through localhost or 127.0.0.1.
 */
export async function verifyRestToken(
  authorization: string | undefined,
  pathname: string,
  keys: readonly string[],
  now = Date.now(),
): Promise<string | undefined> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return 'Missing Authorization: Bearer <token>.';
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(m[1]!, new TextEncoder().encode(key), { algorithms: ['HS256'], currentDate: new Date(now), requiredClaims: ['exp'] });
      const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const wanted = pathname.replace(/\/+$/, '');
      const ok = auds.some((a) => {
        try {
          return typeof a === 'string' && new URL(a).pathname.replace(/\/+$/, '') === wanted;
        } catch {
          return false;
        }
      });
      return ok ? undefined : 'The token audience is not this request URL.';
    } catch {
      // Try the next key.
    }
  }
  return 'The token is not valid (signature, algorithm or expiry).';
}
