/**
 * The emulator's own typed errors, written from the service's side of the wire. Pure code throws
 * them; two edges map them: the REST edge (rest/error-response.ts) turns one into the status,
 * `x-ms-error-code` header and body the service sends, and the client handshake turns one into an
 * HTTP rejection of the WebSocket upgrade.
 *
 * `code` is the service's error code (docs/protocol/rest-api.md §1): the service answers a failed
 * validation with `Error.BadRequest` and a missing connection with `Error.Connection.NotExisted`,
 * so the codes here are those strings, not names of our own.
 *
 * A message is shown to callers: it never contains a token, key or signature.
 */
export class ServiceError extends Error {
  /** The HTTP status at an HTTP edge. */
  readonly status: number;
  /** The service's error code, e.g. `Error.BadRequest` (sent as `x-ms-error-code`). */
  readonly code: string;
  /** Extra response headers at an HTTP edge (e.g. `WWW-Authenticate`). Never secrets. */
  readonly headers?: Readonly<Record<string, string>>;
  /** What the error is about, as the service names it: a parameter (`filter`) or an entity (`Connection`). */
  readonly target?: string;

  constructor(status: number, code: string, message: string, options?: ServiceErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (options?.headers !== undefined) this.headers = options.headers;
    if (options?.target !== undefined) this.target = options.target;
  }
}

export interface ServiceErrorOptions {
  readonly cause?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly target?: string;
}

/** The service's code for any request it refuses as malformed (validation problems included). */
export const BAD_REQUEST_CODE = 'Error.BadRequest';

export class BadRequestError extends ServiceError {
  constructor(message: string, code = BAD_REQUEST_CODE, options?: ServiceErrorOptions) {
    super(400, code, message, options);
  }
}

export class UnauthorizedError extends ServiceError {
  constructor(message: string, code = 'Error.Unauthorized', options?: ServiceErrorOptions) {
    super(401, code, message, options);
  }
}

/** An authenticated caller whose role does not allow the operation (Azure RBAC on the data plane). */
export class ForbiddenError extends ServiceError {
  constructor(message: string, code = 'Error.Forbidden', options?: ServiceErrorOptions) {
    super(403, code, message, options);
  }
}

export class NotFoundError extends ServiceError {
  constructor(message: string, code = 'Error.NotFound', options?: ServiceErrorOptions) {
    super(404, code, message, options);
  }
}

export class PayloadTooLargeError extends ServiceError {
  constructor(message: string, code = 'Error.PayloadTooLarge', options?: ServiceErrorOptions) {
    super(413, code, message, options);
  }
}

export class UnsupportedMediaTypeError extends ServiceError {
  constructor(message: string, code = 'Error.UnsupportedMediaType', options?: ServiceErrorOptions) {
    super(415, code, message, options);
  }
}

/** The emulator's configuration (flags, config file, options) is wrong. Raised before it listens. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
