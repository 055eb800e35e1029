import { BadRequestError, ServiceError } from '../core/service-errors';

/**
 * REST-specific typed errors. They extend the service errors so that error-response.ts stays the only
 * mapper.
 */

/**
 * A request parameter (path, query or body property) the service's validation refuses. The service
 * answers every one with 400 `Error.BadRequest` and a validation problem body naming `target`
 * (docs/protocol/rest-api.md §1).
 */
export class InvalidParameterError extends BadRequestError {
  override readonly target: string;
  constructor(target: string, message: string) {
    super(message, undefined, { target });
    this.target = target;
  }
}

/** The path names a known operation but not for this method (RFC 9110 §15.5.6: 405 with `Allow`). */
export class MethodNotAllowedError extends ServiceError {
  readonly allow: readonly string[];
  constructor(method: string, allow: readonly string[]) {
    super(405, 'Error.MethodNotAllowed', `${method} is not supported on this path; use ${allow.join(', ')}.`);
    this.allow = allow;
  }
}
