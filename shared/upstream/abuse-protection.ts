import { BadRequestError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';

/**
 * Abuse protection (docs/protocol/cloud-events.md §2): the service validates the handler with
 * `OPTIONS` + `WebHook-Request-Origin: <its host name>`; we answer 200 and `WebHook-Allowed-Origin`
 * only for our own service (its host name, port ignored, as the Functions extension compares) or an
 * extra allowed host. Values may be comma-separated; each may be `host`, `host:port` or a URL.
 *
 * @returns the header value to echo in `WebHook-Allowed-Origin`.
 */
export function checkWebHookOrigin(headers: HeaderReader, allowedHosts: readonly string[]): string {
  const raw = headers.get('webhook-request-origin');
  if (!raw || raw.trim() === '') throw new BadRequestError('missing header WebHook-Request-Origin', 'MissingHeader');
  for (const value of raw.split(',').map((v) => v.trim())) {
    const host = hostNameOf(value);
    if (host !== undefined && allowedHosts.includes(host)) return value;
  }
  throw new BadRequestError(
    `WebHook-Request-Origin "${raw.slice(0, 200)}" is not this app's Web PubSub service; add it to EventHandlerAllowedOrigins if it should be`,
    'OriginNotAllowed',
  );
}

function hostNameOf(value: string): string | undefined {
  // The URL parser silently drops tabs and CR/LF ("l\r\nocalhost" → localhost); such a value must not match,
  // and must never be echoed into the WebHook-Allowed-Origin response header.
  if (value === '' || /[\s\u0000-\u001f\u007f]/.test(value)) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    if (url.pathname !== '/' || url.search || url.hash || url.username) return undefined;
    return url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
