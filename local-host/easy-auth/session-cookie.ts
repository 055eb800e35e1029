import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** The cookie App Service Authentication keeps its session in. */
export const SESSION_COOKIE = 'AppServiceAuthSession';

/** App Service's default session lifetime (authsettingsV2 `login.cookieExpiration.timeToExpiration`: 08:00:00). */
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

/** Who signed in, as the local sign-in page recorded it. */
export interface Session {
  /** Session id: lets sign-out end this session even though the cookie is self-contained. */
  readonly sid: string;
  /** The name typed into the sign-in form (the Entra `name` / `preferred_username`). */
  readonly name: string;
  /** Object id of the signed-in user (the Entra `oid`; App Service's `x-ms-client-principal-id`). */
  readonly oid: string;
  /** Pairwise subject (the Entra `sub`; the principal's nameidentifier claim). */
  readonly sub: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
}

export interface SessionSealer {
  /** A new session for `identity`, valid for SESSION_LIFETIME_SECONDS from `now`. */
  create(identity: { name: string; oid: string; sub: string }, now?: number): Session;
  /** The cookie value: base64url(JSON) `.` base64url(HMAC-SHA256). */
  seal(session: Session): string;
  /** The session of a cookie value, or undefined when it is malformed, forged, expired or ended. */
  open(value: string | undefined, now?: number): Session | undefined;
  /** Sign-out: this session id is refused from now on (until it would have expired anyway). */
  end(session: Session): void;
}

/**
 * Sessions sealed with an HMAC key that lives only in this process: a cookie cannot be made or
 * changed without it, and every cookie dies with the process (as a real session dies with its
 * encryption key). The cookie is not encrypted: it holds nothing the signed-in user does not know.
 */
export function createSessionSealer(key: Buffer = randomBytes(32)): SessionSealer {
  const ended = new Map<string, number>();
  const mac = (payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest();
  const seconds = (now: number) => Math.floor(now / 1000);
  return {
    create(identity, now = Date.now()) {
      const iat = seconds(now);
      return { sid: randomUUID(), name: identity.name, oid: identity.oid, sub: identity.sub, iat, exp: iat + SESSION_LIFETIME_SECONDS };
    },
    seal(session) {
      const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    open(value, now = Date.now()) {
      if (!value || value.length > 4096) return undefined;
      const dot = value.indexOf('.');
      if (dot <= 0 || dot !== value.lastIndexOf('.')) return undefined;
      const payload = value.slice(0, dot);
      // Compared as text: decoding first would accept other spellings of the same MAC (unused bits of the
      // last character, characters the base64url decoder skips).
      const given = Buffer.from(value.slice(dot + 1), 'latin1');
      const expected = Buffer.from(mac(payload).toString('base64url'), 'latin1');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let session: unknown;
      try {
        session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      if (!isSession(session)) return undefined;
      const t = seconds(now);
      if (session.exp <= t || ended.has(session.sid)) return undefined;
      return session;
    },
    end(session) {
      const t = seconds(Date.now());
      for (const [sid, exp] of ended) if (exp <= t) ended.delete(sid);
      ended.set(session.sid, session.exp);
    },
  };
}

function isSession(v: unknown): v is Session {
  const s = v as Record<string, unknown> | null;
  return (
    !!s &&
    typeof s === 'object' &&
    ['sid', 'name', 'oid', 'sub'].every((k) => typeof s[k] === 'string' && s[k] !== '') &&
    Number.isInteger(s.iat) &&
    Number.isInteger(s.exp)
  );
}

/** The value of one cookie in a `Cookie` request header (RFC 6265 §5.4 pairs), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` for a session: HttpOnly, SameSite=Lax, Secure over https, Path=/ as App Service sets it. */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds: number = SESSION_LIFETIME_SECONDS): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
}
