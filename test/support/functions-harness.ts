import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../shared/config/app-config';
import type { HubDefinition } from '../../shared/hub/hub-definition';
import type { GroupMember, HubService, SendOptions } from '../../shared/hub/hub-service';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../../shared/config/app-runtime';
import { signConnectionId } from '../../shared/auth/upstream-signature';

export const DEV_KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';
export const DEV_CONNECTION_STRING = `Endpoint=http://localhost;Port=8080;AccessKey=${DEV_KEY};Version=1.0;`;

export function runtimeFor(env: Record<string, string>, overrides: RuntimeOverrides = {}): Runtime {
  return createRuntime(loadConfig({ WebPubSubConnectionString: DEV_CONNECTION_STRING, NegotiateAuth: 'dev', ...env }), overrides);
}

/** An InvocationContext whose log lines are kept for assertions. */
export function invocation(id = 'inv-1'): { context: InvocationContext; logs: { level: string; text: string }[] } {
  const logs: { level: string; text: string }[] = [];
  const context = new InvocationContext({
    invocationId: id,
    functionName: 'test',
    logHandler: (level, ...args) => logs.push({ level, text: args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ') }),
  });
  return { context, logs };
}

export function request(init: { method: string; url?: string; headers?: Record<string, string>; body?: string | Uint8Array }): HttpRequest {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? { string: init.body } : { bytes: init.body };
  return new HttpRequest({ method: init.method, url: init.url ?? 'http://localhost:7071/api/test', headers: init.headers ?? {}, ...(body ? { body } : {}) });
}

/** Headers of an upstream event as the service sends them (docs/protocol/cloud-events.md §3). */
export function eventHeaders(
  type: string,
  options: { hub?: string; connectionId?: string; userId?: string; key?: string | null; state?: string; subprotocol?: string; contentType?: string } = {},
): Record<string, string> {
  const connectionId = options.connectionId ?? 'conn-1';
  const eventName = type.startsWith('azure.webpubsub.sys.') ? type.slice('azure.webpubsub.sys.'.length) : type.slice('azure.webpubsub.user.'.length);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json; charset=utf-8',
    'webhook-request-origin': 'localhost',
    'ce-specversion': '1.0',
    'ce-awpsversion': '1.0',
    'ce-type': type,
    'ce-source': `/hubs/${options.hub ?? 'chat'}/client/${connectionId}`,
    'ce-id': '1',
    'ce-time': '2026-01-01T00:00:00Z',
    'ce-hub': options.hub ?? 'chat',
    'ce-connectionId': connectionId,
    'ce-eventName': eventName,
  };
  if (options.userId !== undefined) headers['ce-userId'] = options.userId;
  if (options.subprotocol !== undefined) headers['ce-subprotocol'] = options.subprotocol;
  if (options.state !== undefined) headers['ce-connectionState'] = options.state;
  if (options.key !== null) headers['ce-signature'] = signConnectionId(connectionId, [options.key ?? DEV_KEY]);
  return headers;
}

export interface SentMessage {
  readonly op: string;
  readonly target?: string;
  readonly data: unknown;
  readonly options?: SendOptions;
}

/** A HubService that records calls. */
export function fakeService(hub = 'chat', members: GroupMember[] = []): HubService & { sent: SentMessage[] } {
  const sent: SentMessage[] = [];
  const record = (op: string, target: string | undefined, data: unknown, options?: SendOptions) => {
    sent.push({ op, ...(target !== undefined ? { target } : {}), data, ...(options ? { options } : {}) });
    return Promise.resolve();
  };
  return {
    hub,
    sent,
    sendToAll: (data, o) => record('sendToAll', undefined, data, o),
    sendToGroup: (g, data, o) => record('sendToGroup', g, data, o),
    sendToUser: (u, data, o) => record('sendToUser', u, data, o),
    sendToConnection: (c, data, o) => record('sendToConnection', c, data, o),
    addConnectionToGroup: (g, c) => record('addConnectionToGroup', g, c),
    removeConnectionFromGroup: (g, c) => record('removeConnectionFromGroup', g, c),
    addUserToGroup: (g, u) => record('addUserToGroup', g, u),
    removeUserFromGroup: (g, u) => record('removeUserFromGroup', g, u),
    closeConnection: (c, r) => record('closeConnection', c, r),
    listGroupConnections: async () => members,
    connectionExists: async (c) => members.some((m) => m.connectionId === c),
  };
}

export function bodyText(response: HttpResponseInit): string {
  const b = response.body;
  if (b === undefined || b === null) return '';
  if (typeof b === 'string') return b;
  if (b instanceof Uint8Array) return Buffer.from(b).toString('utf8');
  throw new Error('unexpected body type in test');
}

export function header(response: HttpResponseInit, name: string): string | undefined {
  const headers = (response.headers ?? {}) as Record<string, string>;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

/** A node:http server on 127.0.0.1:0 that records requests and answers `status` (202 by default). */
export async function captureServer(answer: (req: IncomingMessage) => { status: number; body?: string; contentType?: string } = () => ({ status: 202 })) {
  const requests: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks),
      });
      const a = answer(req);
      res.writeHead(a.status, a.body !== undefined ? { 'content-type': a.contentType ?? 'application/json' } : {});
      res.end(a.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    requests,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A JWKS served over loopback plus helpers that sign tokens with its key (or with a stranger's). */
export async function jwksServer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const sign = (claims: JWTPayload, opts: { expiresIn?: string | number; foreignKey?: boolean; kid?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '10m')
      .sign(opts.foreignKey ? other.privateKey : privateKey);
  return {
    url: `http://127.0.0.1:${port}/keys`,
    sign,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An unsigned `alg: none` token. */
export function unsecuredToken(claims: JWTPayload): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}

export type { HubDefinition };
