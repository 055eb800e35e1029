import { trafficIf, type Log } from '../log';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { BadRequestError, ConfigError, PayloadTooLargeError } from '../core/service-errors';
import type { ServiceOps } from '../core/types';
import { JSON_UTF8, toErrorResponse } from './error-response';
import { executeOperation, type RestResult } from './operations';
import { readRequestBody } from './request-body';
import { VerifiedTokenCache } from '../auth/verified-token-cache';
import { authenticateRequest, type RestTokenCache } from './rest-auth';
import type { RestAuthenticator } from './rest-authenticator';
import { buildOperation, matchRoute } from './router';

/**
 * The HTTP edge of the data plane (docs/protocol/rest-api.md): everything here is plumbing between node:http and the
 * pure modules (router, rest-auth, operations, error-detail). Every request gets exactly one answer.
 */

export interface RestHandlerOptions {
  readonly ops: ServiceOps;
  /** Access keys; REST JWTs signed with any of them are accepted, the first signs `:generateToken` tokens. */
  readonly keys: readonly string[];
  /** One line per request: method, path (no query), status, milliseconds. */
  readonly log?: Log;
  /** Replaces the access-key check (rest-authenticator.ts: Entra tokens, disableLocalAuth). */
  readonly authenticate?: RestAuthenticator;
}

/** The service's message size limit is 1 MB; larger send bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const BODY_OPERATIONS = new Set(['sendToAll', 'sendToUser', 'sendToConnection', 'sendToGroup', 'addConnectionsToGroups', 'removeConnectionsFromGroups']);

export function createRestHandler(options: RestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const keys = [...options.keys];
  if (keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
    throw new ConfigError(['createRestHandler: at least one non-empty access key is required']);
  }
  const log = options.log ?? (() => {});
  // Tokens verified for a request URL, until they expire (rest-auth.ts says why that is safe).
  const tokens: RestTokenCache = new VerifiedTokenCache();

  return (req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const host = req.headers.host ?? '';
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';

    const finish = (result: RestResult, headers: Readonly<Record<string, string>> = {}): void => {
      try {
        writeResponse(res, method, result, headers);
      } finally {
        log(`${method} ${path} ${result.status} ${(performance.now() - started).toFixed(1)}ms`, trafficIf(result.status));
      }
    };
    const fail = (error: unknown): void => {
      const response = toErrorResponse(error);
      if (response.status >= 500) log(`${method} ${path} unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      finish({ status: response.status, ...(response.body ? { body: response.body } : {}) }, response.headers);
    };

    const authenticate = async (operation: string): Promise<void> => {
      if (options.authenticate) await options.authenticate(req.headers.authorization, { scheme, host, target }, operation);
      else authenticateRequest(req.headers.authorization, { scheme, host, target }, keys, undefined, tokens);
    };
    readRequestBody(req, MAX_BODY_BYTES).then(
      async ({ body, tooLarge }) => {
        try {
          const match = matchRoute(method, path);
          // The health probe needs no token (docs/protocol/rest-api.md §2 #1).
          if (match.name !== 'health') await authenticate(match.name);
          const operation = buildOperation(match, new URLSearchParams(q < 0 ? '' : target.slice(q + 1)));
          if (tooLarge && BODY_OPERATIONS.has(operation.name)) {
            throw new PayloadTooLargeError(`The request body exceeds the ${MAX_BODY_BYTES}-byte message limit.`);
          }
          const result = executeOperation(operation, {
            ops: options.ops,
            endpoint: `${scheme}://${host}`,
            primaryKey: keys[0]!,
            contentType: req.headers['content-type'],
            body,
          });
          finish(result);
        } catch (error) {
          fail(error);
        }
      },
      // The connection failed while reading; there is nobody left to answer, but never crash.
      () => {
        if (!res.headersSent && !res.destroyed) fail(new BadRequestError('The request body could not be read.'));
      },
    );
  };
}

/**
 * Writes one answer. A HEAD answer keeps the headers of the body it would have (type and length, as the
 * service does) but not the body; `extraHeaders` may set the content type (error answers do).
 */
function writeResponse(res: ServerResponse, method: string, result: RestResult, extraHeaders: Readonly<Record<string, string>>): void {
  if (res.headersSent || res.destroyed) return;
  const payload = result.body !== undefined && result.status !== 204 ? Buffer.from(JSON.stringify(result.body), 'utf8') : undefined;
  const headers: Record<string, string | number> = { ...extraHeaders };
  if (payload) {
    headers['content-type'] ??= JSON_UTF8;
    headers['content-length'] = payload.length;
  } else if (result.status !== 204) {
    headers['content-length'] = 0;
  }
  res.writeHead(result.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}
