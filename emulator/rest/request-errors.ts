import { BadRequestError, WebPubSubError } from '../../shared/http/errors';

/**
 * REST-specific typed errors. They extend the shared ones so that error-detail.ts stays the only mapper;
 * the extra fields become the ErrorDetail `target` and the `Allow` header.
 */

/** A bad query/path/body parameter; `target` names it in the ErrorDetail body. */
export class InvalidParameterError extends BadRequestError {
  readonly target: string;
  constructor(target: string, message: string, code = 'InvalidParameter') {
    super(message, code);
    this.target = target;
  }
}

/** The path names a known operation but not for this method (RFC 9110 §15.5.6: 405 with `Allow`). */
export class MethodNotAllowedError extends WebPubSubError {
  readonly allow: readonly string[];
  constructor(method: string, allow: readonly string[]) {
    super(405, 'MethodNotAllowed', `${method} is not supported on this path; use ${allow.join(', ')}.`);
    this.allow = allow;
  }
}
