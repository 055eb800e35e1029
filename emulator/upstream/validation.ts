/**
 * Abuse-protection validation (docs/protocol/cloud-events.md §2), the pure part: is a validation reply acceptable?
 * Accepts any 2xx whose `WebHook-Allowed-Origin` is `*` or names our origin — as `host` or `host:port`,
 * split on commas and across header lines, case-insensitive.
 */
export function isAllowedOriginReply(status: number, allowedOrigin: string | readonly string[] | undefined, origin: string, port?: number): boolean {
  if (status < 200 || status > 299) return false;
  const lines = allowedOrigin === undefined ? [] : typeof allowedOrigin === 'string' ? [allowedOrigin] : allowedOrigin;
  const want = new Set([origin.toLowerCase(), ...(port !== undefined ? [`${origin.toLowerCase()}:${port}`] : [])]);
  return lines
    .flatMap((l) => l.split(','))
    .map((v) => v.trim().toLowerCase())
    .some((v) => v === '*' || want.has(v) || want.has(v.replace(/^https?:\/\//, '').replace(/\/$/, '')));
}

/** Why a validation failed, for the log (docs/protocol/cloud-events.md §2 names the service's error codes). */
export function describeValidationFailure(status: number): string {
  return status >= 200 && status <= 299
    ? 'AbuseProtectionResponseMissingAllowedOrigin: the reply has no WebHook-Allowed-Origin matching "*" or this origin'
    : `AbuseProtectionResponseInvalidStatusCode: the validation request answered ${status}`;
}
