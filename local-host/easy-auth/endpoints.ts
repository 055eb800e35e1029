import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { loginPage, pageSecurityHeaders, signedOutPage } from './login-page';
import { identityFor, meDocument, principalHeaders, stripPlatformHeaders, type Directory } from './principal';
import { safeRedirectPath } from './redirect';
import { clearedSessionCookie, createSessionSealer, readCookie, SESSION_COOKIE, sessionCookie, type Session, type SessionSealer } from './session-cookie';

/**
 * App Service Authentication (Easy Auth) in front of the app, as the Static Web Apps CLI emulates it:
 * a local sign-in form instead of Microsoft Entra, the same session cookie, `/.auth/*` endpoints and
 * request headers as App Service. This file is the HTTP edge; the pieces are pure modules beside it.
 */
export interface EasyAuth {
  /** Answers a `/.auth/...` request; false when the path is not one of the platform's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The request headers the app sees: forged platform headers removed, the session's principal added. */
  appHeaders(req: IncomingMessage): Record<string, string | string[] | undefined>;
}

export interface EasyAuthOptions {
  readonly directory: Directory;
  readonly sealer?: SessionSealer;
}

/** A sign-in form is a few fields; anything larger is not one. */
const MAX_FORM_BYTES = 8 * 1024;
const NAME_PATTERN = /^[^\u0000-\u001f\u007f]{1,64}$/;

/** `/.auth` and everything below it (any case, trailing slashes ignored): the only paths the endpoints answer. */
export function isAuthPath(pathname: string): boolean {
  const path = pathname.toLowerCase().replace(/\/+$/, '');
  return path.startsWith('/.auth/') || path === '/.auth';
}

export function createEasyAuth(options: EasyAuthOptions): EasyAuth {
  const sealer = options.sealer ?? createSessionSealer();
  const sessionOf = (req: IncomingMessage): Session | undefined => sealer.open(readCookie(req.headers.cookie, SESSION_COOKIE));

  return {
    appHeaders(req) {
      const headers = stripPlatformHeaders(req.headers);
      const session = sessionOf(req);
      return session ? { ...headers, ...principalHeaders(session, options.directory) } : headers;
    },

    async handle(req, res, url) {
      if (!isAuthPath(url.pathname)) return false;
      const path = url.pathname.toLowerCase().replace(/\/+$/, '');
      const method = req.method ?? 'GET';
      const secure = (req.socket as TLSSocket).encrypted === true;

      if (path === '/.auth/login/aad') {
        if (!isRead(method)) return answerMethodNotAllowed(req, res, 'GET');
        const redirect = safeRedirectPath(url.searchParams.get('post_login_redirect_uri'), '/');
        if (redirect === undefined) return answerBadRedirect(req, res, 'post_login_redirect_uri');
        return answer(req, res, 200, { ...pageSecurityHeaders, 'content-type': 'text/html; charset=utf-8' }, loginPage({ redirect }));
      }

      if (path === '/.auth/login/aad/callback') {
        if (method !== 'POST') return answerMethodNotAllowed(req, res, 'POST');
        if (!isSameOrigin(req, secure)) return answer(req, res, 403, textType, 'Sign-in refused: the form was posted from another site.\n');
        let form: URLSearchParams;
        try {
          form = new URLSearchParams(await readSmallBody(req, MAX_FORM_BYTES));
        } catch {
          return answer(req, res, 413, { ...textType, connection: 'close' }, 'The sign-in form is too large.\n');
        }
        const redirect = safeRedirectPath(form.get('post_login_redirect_uri') ?? url.searchParams.get('post_login_redirect_uri'), '/');
        if (redirect === undefined) return answerBadRedirect(req, res, 'post_login_redirect_uri');
        const name = (form.get('name') ?? '').trim();
        if (!NAME_PATTERN.test(name)) {
          const page = loginPage({ redirect, error: 'Enter a name of 1 to 64 characters.' });
          return answer(req, res, 400, { ...pageSecurityHeaders, 'content-type': 'text/html; charset=utf-8' }, page);
        }
        const session = sealer.create(identityFor(name));
        res.writeHead(302, { location: redirect, 'set-cookie': sessionCookie(sealer.seal(session), secure), 'cache-control': 'no-store' }).end();
        return true;
      }

      if (path === '/.auth/me') {
        if (!isRead(method)) return answerMethodNotAllowed(req, res, 'GET');
        const session = sessionOf(req);
        if (!session) return answer(req, res, 401, textType, 'Not signed in.\n');
        return answer(req, res, 200, { ...jsonType, 'cache-control': 'no-store' }, JSON.stringify(meDocument(session, options.directory)));
      }

      if (path === '/.auth/logout') {
        if (!isRead(method) && method !== 'POST') return answerMethodNotAllowed(req, res, 'GET, POST');
        const redirect = safeRedirectPath(url.searchParams.get('post_logout_redirect_uri'), '/.auth/logout/complete');
        if (redirect === undefined) return answerBadRedirect(req, res, 'post_logout_redirect_uri');
        const session = sessionOf(req);
        if (session) sealer.end(session);
        req.resume();
        res.writeHead(302, { location: redirect, 'set-cookie': clearedSessionCookie(secure), 'cache-control': 'no-store' }).end();
        return true;
      }

      if (path === '/.auth/logout/complete') {
        return answer(req, res, 200, { ...pageSecurityHeaders, 'content-type': 'text/html; charset=utf-8' }, signedOutPage());
      }

      return answer(req, res, 404, textType, 'Not found: the local App Service Authentication serves /.auth/login/aad, /.auth/me and /.auth/logout.\n');
    },
  };
}

const textType = { 'content-type': 'text/plain; charset=utf-8' };
const jsonType = { 'content-type': 'application/json; charset=utf-8' };

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function answer(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string): true {
  req.resume();
  res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function answerMethodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): true {
  return answer(req, res, 405, { ...textType, allow }, `Method not allowed; use ${allow}.\n`);
}

function answerBadRedirect(req: IncomingMessage, res: ServerResponse, parameter: string): true {
  return answer(req, res, 400, textType, `${parameter} must be a path on this site (starting with a single /); other sites are not allowed.\n`);
}

/** Browsers send Origin with a form POST; when present it must be this site (login CSRF). */
function isSameOrigin(req: IncomingMessage, secure: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin.toLowerCase() === `${secure ? 'https' : 'http'}://${(req.headers.host ?? '').toLowerCase()}`;
}

function readSmallBody(req: IncomingMessage, max: number): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > max) {
    req.resume();
    return Promise.reject(new Error('too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
