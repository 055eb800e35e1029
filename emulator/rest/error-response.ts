import { isServiceError } from '../core/service-errors';
import { MethodNotAllowedError } from './request-errors';

/**
 * The one place where errors become REST responses, shaped as the service sends them
 * (docs/protocol/rest-api.md §1; every shape below was checked against the live answers recorded in
 * the Azure SDKs' test assets, Azure/azure-sdk-assets):
 *
 * - 400: an ASP.NET validation problem, `Content-Type: application/problem+json; charset=utf-8`,
 *   `x-ms-error-code: Error.BadRequest`, body `{code, message, target, errors: {<target>: [message]},
 *   type, title, status, detail, instance, extensions}` in that order. The SDKs' core-client does not
 *   parse problem+json, so `RestError.message` is this body's text: the order matters to callers.
 * - 401: no body; `WWW-Authenticate: Bearer error="invalid_token", error_description="…"` says why
 *   (the service answers a bad REST token as ASP.NET's JWT bearer handler does).
 * - Anything else: `application/json; charset=utf-8`, `x-ms-error-code: <code>`, body
 *   `{code, message, target, details, inner}`; RestError then takes `code` and `message` from it.
 *
 * HEAD answers carry the headers (content type and length included) but never the body.
 * Untyped errors are bugs: 500 with a generic message; the cause is logged by the caller, never returned.
 */

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
export const JSON_UTF8 = 'application/json; charset=utf-8';
export const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** A validation problem body (400). */
export interface ValidationProblem {
  readonly code: string;
  readonly message: string;
  readonly target: string | null;
  readonly errors: Readonly<Record<string, readonly string[]>>;
  readonly type: null;
  readonly title: string;
  readonly status: 400;
  readonly detail: null;
  readonly instance: null;
  readonly extensions: Readonly<Record<string, never>>;
}

/** The service's ErrorDetail body (every other status). */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target: string | null;
  readonly details: null;
  readonly inner: null;
}

export interface RestErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized by the edge; left out of HEAD answers. Undefined when the service sends no body. */
  readonly body?: ValidationProblem | ErrorDetail;
}

export function toErrorResponse(error: unknown): RestErrorResponse {
  if (!isServiceError(error)) {
    const body: ErrorDetail = {
      code: 'Error.InternalServerError',
      message: 'The emulator hit an unexpected error; see its log.',
      target: null,
      details: null,
      inner: null,
    };
    return { status: 500, headers: { 'content-type': JSON_UTF8, 'x-ms-error-code': body.code }, body };
  }
  const headers: Record<string, string> = { ...error.headers };
  if (error instanceof MethodNotAllowedError) headers['allow'] = error.allow.join(', ');
  if (error.status === 401) return { status: 401, headers };
  headers['x-ms-error-code'] = error.code;
  if (error.status === 400) {
    const target = error.target ?? null;
    const body: ValidationProblem = {
      code: error.code,
      message: error.message,
      target,
      errors: { [target ?? '']: [error.message] },
      type: null,
      title: VALIDATION_TITLE,
      status: 400,
      detail: null,
      instance: null,
      extensions: {},
    };
    return { status: 400, headers: { ...headers, 'content-type': PROBLEM_JSON }, body };
  }
  const body: ErrorDetail = { code: error.code, message: error.message, target: error.target ?? null, details: null, inner: null };
  return { status: error.status, headers: { ...headers, 'content-type': JSON_UTF8 }, body };
}
