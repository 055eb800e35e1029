import { isWebPubSubError } from '../../shared/http/errors';
import { InvalidParameterError, MethodNotAllowedError } from './request-errors';

/**
 * The one place where errors become REST responses (docs/protocol/rest-api.md §1): status, JSON ErrorDetail
 * `{"code","message","target"?}` and the `x-ms-error-code` header. HEAD responses never carry a body.
 * Untyped errors are bugs: 500 with a generic message (the cause is logged by the caller, never returned).
 */

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export interface RestErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined for HEAD requests. */
  readonly body?: ErrorDetail;
}

export function toErrorResponse(error: unknown, method: string): RestErrorResponse {
  const detail: ErrorDetail = isWebPubSubError(error)
    ? { code: error.code, message: error.message, ...(error instanceof InvalidParameterError ? { target: error.target } : {}) }
    : { code: 'InternalServerError', message: 'The emulator hit an unexpected error; see its log.' };
  const status = isWebPubSubError(error) ? error.status : 500;
  const headers: Record<string, string> = { 'x-ms-error-code': detail.code };
  if (error instanceof MethodNotAllowedError) headers['allow'] = error.allow.join(', ');
  return method === 'HEAD' ? { status, headers } : { status, headers, body: detail };
}
