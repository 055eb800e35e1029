import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalAuthority } from './authority';
import { answerIdentityRequest, IDENTITY_ENDPOINT_PATH } from './identity-endpoint';

/**
 * The HTTP edge of the local authority: the managed-identity endpoint and the tenant's discovery
 * documents. Returns false for any other path, so the emulator's own routes take it.
 */
export function handleEntraRequest(req: IncomingMessage, res: ServerResponse, authority: LocalAuthority, log: (line: string) => void): boolean {
  const url = new URL(req.url ?? '/', 'https://x');
  if (url.pathname !== IDENTITY_ENDPOINT_PATH && !url.pathname.toLowerCase().startsWith(`/${authority.settings.tenantId}/`)) return false;
  // A client that resets mid-request must not crash the process.
  req.on('error', () => {});
  res.on('error', () => {});
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === IDENTITY_ENDPOINT_PATH) {
    const header = req.headers['x-identity-header'];
    answerIdentityRequest({ method, query: url.searchParams, identityHeader: Array.isArray(header) ? header[0] : header }, authority).then(
      (answer) => {
        log(
          `entra token ${answer.status}${answer.status === 200 ? ` resource=${String(answer.body.resource)} client_id=${String(answer.body.client_id)}` : ''}`,
        );
        send(res, answer.status, answer.body);
      },
      (e: unknown) => {
        log(`entra token error: ${e instanceof Error ? e.message : String(e)}`);
        send(res, 500, { statusCode: 500, message: 'The local authority could not issue a token; see the emulator log.' });
      },
    );
    return true;
  }
  const tenant = authority.settings.tenantId;
  const documents: Record<string, () => unknown> = {
    [`/${tenant}/v2.0/.well-known/openid-configuration`]: () => authority.openIdConfiguration(2),
    [`/${tenant}/.well-known/openid-configuration`]: () => authority.openIdConfiguration(1),
    [`/${tenant}/discovery/v2.0/keys`]: () => authority.jwks(),
    [`/${tenant}/discovery/keys`]: () => authority.jwks(),
  };
  const document = documents[path.toLowerCase()];
  if (!document) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, { error: 'invalid_request', error_description: 'Only GET is supported.' });
    return true;
  }
  send(res, 200, document(), method === 'HEAD');
  return true;
}

function send(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length, 'cache-control': 'no-store' });
  res.end(headOnly ? undefined : payload);
}
