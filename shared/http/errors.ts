/**
 * Typed errors. Pure code throws these; each edge maps them in exactly one place
 * (functions/http.ts to an HTTP response, emulator/rest to an ErrorDetail body,
 * the emulator's client session to an ack error or a close code).
 *
 * A message is shown to callers: it never contains a token, key or signature.
 * Internals go in `cause`, which is logged but never returned.
 */
export class WebPubSubError extends Error {
  /** HTTP status at an HTTP edge. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `InvalidSignature`. */
  readonly code: string;
  /** WebSocket close code when this error ends a client connection. */
  readonly closeCode?: number;
  /** Extra response headers at an HTTP edge (e.g. `WWW-Authenticate`). Never secrets. */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options?: Options) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (options?.closeCode !== undefined) this.closeCode = options.closeCode;
    if (options?.headers !== undefined) this.headers = options.headers;
  }
}

type Options = { cause?: unknown; closeCode?: number; headers?: Readonly<Record<string, string>> };

export class BadRequestError extends WebPubSubError {
  constructor(message: string, code = 'BadRequest', options?: Options) {
    super(400, code, message, options);
  }
}

export class UnauthorizedError extends WebPubSubError {
  constructor(message: string, code = 'Unauthorized', options?: Options) {
    super(401, code, message, options);
  }
}

export class ForbiddenError extends WebPubSubError {
  constructor(message: string, code = 'Forbidden', options?: Options) {
    super(403, code, message, options);
  }
}

export class NotFoundError extends WebPubSubError {
  constructor(message: string, code = 'NotFound', options?: Options) {
    super(404, code, message, options);
  }
}

export class PayloadTooLargeError extends WebPubSubError {
  constructor(message: string, code = 'PayloadTooLarge', options?: Options) {
    super(413, code, message, options);
  }
}

export class UnsupportedMediaTypeError extends WebPubSubError {
  constructor(message: string, code = 'UnsupportedMediaType', options?: Options) {
    super(415, code, message, options);
  }
}

/** The Web PubSub service (or another dependency) refused or failed; carries its status. */
export class UpstreamServiceError extends WebPubSubError {
  readonly upstreamStatus?: number;
  constructor(message: string, upstreamStatus?: number, options?: Options) {
    super(502, 'ServiceError', message, options);
    if (upstreamStatus !== undefined) this.upstreamStatus = upstreamStatus;
  }
}

/** A server-side failure the caller can do nothing about (a hub replied with something invalid). */
export class InternalServerError extends WebPubSubError {
  constructor(message: string, code = 'InternalServerError', options?: Options) {
    super(500, code, message, options);
  }
}

/** Configuration is missing or wrong. Raised at start-up, never at the first request. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isWebPubSubError(e: unknown): e is WebPubSubError {
  return e instanceof WebPubSubError;
}
