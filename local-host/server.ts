import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { CoreRuntime } from './core-runtime';
import type { RpcLogCategory, RpcLogLevel } from './core-types';
import { isAuthPath, type EasyAuth } from './easy-auth/endpoints';
import { hasPlatformHeaders, stripPlatformHeaders } from './easy-auth/principal';
import { decideCors, type CorsPolicy } from './host-cors';
import type { HostLog } from './host-log';
import { invokeFunction } from './invocation';
import { createRouteCache, type RouteCache, type RouteMatch, type RouteTable } from './route-table';
import { toInvocationRequest, toRpcHttp } from './rpc-request';
import { createRequestTargetCache, type RequestTargetCache } from './request-target';
import { fromRpcHttp, pickHttpResult, type HttpReply } from './rpc-response';
import { contentTypeFor, resolveStaticPath } from './static-files';

export interface LocalHostOptions {
  readonly runtime: CoreRuntime;
  readonly table: RouteTable;
  readonly cors: CorsPolicy;
  /** Files served at `/` when no function route matches (npm start: the built chat page). */
  readonly staticDir?: string;
  /** Request bodies above this get 413; the Functions host's default is 100 MB. */
  readonly maxBodyBytes?: number;
  readonly log: HostLog;
  /** App Service Authentication in front of the app (`--easyauth`): `/.auth/*` and the principal headers. */
  readonly easyAuth?: EasyAuth;
  /** `--quiet`: no line per successful invocation (failures, warnings and the app's own logs still show). */
  readonly quiet?: boolean;
  /** Library and user logs of one invocation. */
  readonly runtimeLog: (level: RpcLogLevel, category: RpcLogCategory, message: string, invocationId?: string) => void;
}

const defaultMaxBodyBytes = 100 * 1024 * 1024;

class PayloadTooLarge extends Error {}

/** The node:http request listener: CORS, route match, body, invocation, response. */
export function createRequestListener(options: LocalHostOptions): RequestListener {
  const maxBody = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const routes = createRouteCache(options.table);
  const targets = createRequestTargetCache();
  return (req, res) => {
    handle(options, routes, targets, maxBody, req, res).catch((err: unknown) => {
      options.log.error(`Unexpected host error for ${req.method} ${pathOf(req)}: ${describe(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

async function handle(
  options: LocalHostOptions,
  routes: RouteCache,
  targets: RequestTargetCache,
  maxBody: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const cors = decideCors(options.cors, {
    method,
    origin: header(req, 'origin'),
    requestMethod: header(req, 'access-control-request-method'),
    requestHeaders: header(req, 'access-control-request-headers'),
  });
  if (cors.kind === 'preflight') {
    res.writeHead(204, cors.headers).end();
    return;
  }
  const parsed = targets(req.url, req.headers.host);
  if (!parsed.ok) {
    options.log.warn(`Rejected ${method} request (400): ${parsed.message}`);
    req.resume();
    const body = `${parsed.message}\n`;
    res
      .writeHead(400, { ...cors.headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' })
      .end(body);
    return;
  }
  const url = parsed.target;
  // Only /.auth paths go to the endpoints: every other request skips their URL copy and an await.
  if (options.easyAuth && isAuthPath(url.pathname) && (await options.easyAuth.handle(req, res, new URL(url.href)))) return;
  const match = routes(method, url.pathname);
  if (!match) {
    req.resume();
    serveFallback(options, method, url.pathname, cors.headers, res);
    return;
  }

  let body: Buffer;
  try {
    body = hasNoBody(req) ? noBody : await readBody(req, maxBody);
  } catch (err) {
    if (!(err instanceof PayloadTooLarge)) throw err;
    options.log.warn(`Rejected ${method} ${url.pathname}: the request body is larger than ${maxBody} bytes (413).`);
    res.writeHead(413, { ...cors.headers, connection: 'close' }).end();
    req.destroy();
    return;
  }

  const reply = await runFunction(options, match, url.pathname, {
    method,
    url: url.href,
    query: url.query,
    headers: appHeaders(options, req),
    params: match.params,
    body,
  });
  res.writeHead(reply.status, rawHeaders(cors.headers, reply.headers));
  res.end(method === 'HEAD' ? undefined : reply.body);
}

/** `[name, value, name, value, …]`, the form `writeHead` takes with repeats kept (several `Set-Cookie`). */
function rawHeaders(cors: Readonly<Record<string, string>>, reply: HttpReply['headers']): string[] {
  const raw: string[] = [];
  for (const name in cors) raw.push(name, cors[name]!);
  for (const [name, value] of reply) raw.push(name, value);
  return raw;
}

/**
 * Headers only App Service may set (`x-ms-client-principal*`, `x-ms-token-*`) are removed from every
 * request, with or without `--easyauth`: App Service strips them whenever Authentication is on, and
 * without it a forged principal must not reach an app configured for NegotiateAuth=easyauth either.
 */
function appHeaders(options: LocalHostOptions, req: IncomingMessage): Readonly<Record<string, string | string[] | undefined>> {
  if (options.easyAuth) return options.easyAuth.appHeaders(req);
  return hasPlatformHeaders(req.headers) ? stripPlatformHeaders(req.headers) : req.headers;
}

async function runFunction(
  options: LocalHostOptions,
  match: RouteMatch,
  /** For the log line: already parsed by the caller, not parsed again from `http.url`. */
  pathname: string,
  http: Parameters<typeof toRpcHttp>[0],
): Promise<HttpReply> {
  const name = match.route.functionName;
  const registration = options.runtime.registrations.get(name);
  const invocationId = randomUUID();
  const started = performance.now();
  const duration = () => `${Math.trunc(performance.now() - started)}ms`;
  try {
    if (!registration) throw new Error(`Function ${name} is no longer registered.`);
    const functionId = registration.metadata.functionId ?? name;
    const request = toInvocationRequest(invocationId, functionId, match.route.triggerBindingName, toRpcHttp(http));
    const response = await invokeFunction(options.runtime, registration, request, (level, category, message) =>
      options.runtimeLog(level, category, message, invocationId),
    );
    const reply = fromRpcHttp(pickHttpResult(response));
    if (!options.quiet) {
      options.log.info(`Executed 'Functions.${name}' (Succeeded, Id=${invocationId}, Duration=${duration()}) ${reply.status} ${http.method} ${pathname}`);
    }
    return reply;
  } catch (err) {
    options.log.error(`Executed 'Functions.${name}' (Failed, Id=${invocationId}, Duration=${duration()}) 500 ${http.method} ${pathname}`);
    options.log.error(`  Result: Failure. Exception: ${describe(err)}`);
    return { status: 500, headers: [], body: Buffer.alloc(0) };
  }
}

function serveFallback(options: LocalHostOptions, method: string, pathname: string, cors: Record<string, string>, res: ServerResponse): void {
  const readable = method === 'GET' || method === 'HEAD';
  if (readable && options.staticDir) {
    const file = resolveStaticPath(options.staticDir, pathname);
    const stat = file ? statSafe(file) : undefined;
    if (file && stat?.isFile()) {
      res.writeHead(200, { ...cors, 'content-type': contentTypeFor(file), 'content-length': stat.size, 'cache-control': 'no-cache' });
      if (method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      return;
    }
  }
  if (readable && pathname === '/' && !options.staticDir) {
    // Core Tools answers `/` with a "your app is running" page; a one-line equivalent.
    res.writeHead(200, { ...cors, 'content-type': 'text/plain; charset=utf-8' });
    res.end(`The local Functions host is running. Functions: ${options.table.routes.map((r) => `/${r.template}`).join(', ') || 'none'}\n`);
    return;
  }
  res.writeHead(404, cors).end();
}

const noBody = Buffer.alloc(0);

/**
 * A request with neither `Content-Length` nor `Transfer-Encoding`, or with `Content-Length: 0`, has no
 * body (RFC 9112 §6.3): there is nothing to wait for. node:http discards the (empty) rest of it once the
 * response is sent.
 */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.reject(new PayloadTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    // Most bodies arrive in one chunk: hand it over as is rather than copying it into a new Buffer.
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
