import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { loadPageFiles } from '../web/page-files';
import { pageContentSecurityPolicy, resolvePageRequest } from '../web/page-request';
import { routes } from './routes';

// The chat page, so a deployment has one working URL: https://<app>/api/chat/ (the files are embedded in the bundle).
const files = loadPageFiles();
const available = new Set(files.keys());

export async function servePage(req: HttpRequest): Promise<HttpResponseInit> {
  const answer = resolvePageRequest(req.params.path, new URL(req.url).pathname, available);
  if (answer.kind === 'redirect') return { status: 301, headers: { location: answer.location } };
  const file = answer.kind === 'file' ? files.get(answer.name) : undefined;
  if (answer.kind !== 'file' || !file) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
  return {
    status: 200,
    headers: {
      'content-type': file.contentType,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(answer.name === 'index.html' ? { 'content-security-policy': pageContentSecurityPolicy } : {}),
    },
    body: file.body,
  };
}

app.http('web', { route: routes.chatPage, methods: ['GET'], authLevel: 'anonymous', handler: servePage });
