import { ConfigError } from '../http/errors';

/** A parsed Web PubSub connection string (docs/protocol/auth.md §1). */
export interface ConnectionInfo {
  /** `http(s)://host[:port]` with no trailing slash and no path. */
  readonly endpoint: string;
  /** The access key, used as the UTF-8 bytes of the string. Absent in identity mode. */
  readonly accessKey?: string;
}

/**
 * Parses `Endpoint=...;AccessKey=...;[Port=...;]Version=1.0;` (docs/protocol/auth.md §1.1).
 * Keys are case-insensitive and trimmed; each part splits at its first `=`; duplicate keys are
 * an error (as the Functions extension does); `Port` overrides the endpoint's port.
 * Throws ConfigError naming `settingName`; the message never includes the key.
 */
export function parseConnectionString(value: string, settingName = 'WebPubSubConnectionString'): ConnectionInfo {
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigError([`${settingName}: "${part.split('=')[0]!.trim()}" is not a Key=Value pair`]);
    const key = part.slice(0, eq).trim().toLowerCase();
    if (fields.has(key)) throw new ConfigError([`${settingName}: the key "${part.slice(0, eq).trim()}" appears twice`]);
    fields.set(key, part.slice(eq + 1).trim());
  }
  const rawEndpoint = fields.get('endpoint');
  if (!rawEndpoint)
    throw new ConfigError([`${settingName}: Endpoint is missing (expected Endpoint=https://<name>.webpubsub.azure.com;AccessKey=...;Version=1.0;)`]);
  const endpoint = normalizeEndpoint(rawEndpoint, fields.get('port'), settingName);
  const accessKey = fields.get('accesskey');
  return accessKey ? { endpoint, accessKey } : { endpoint };
}

/** `https://host[:port]` with no path and no trailing slash; `Port` (if given) overrides the URL's port. */
export function normalizeEndpoint(raw: string, port: string | undefined, settingName: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^https?:\/\//i.test(raw)) {
    throw new ConfigError([`${settingName}: Endpoint must start with http:// or https://`]);
  }
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new ConfigError([`${settingName}: Endpoint "${raw}" is not a valid URL`]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError([`${settingName}: Endpoint must start with http:// or https://`]);
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError([`${settingName}: Port "${port}" must be a whole number from 1 to 65535`]);
    url.port = String(n);
  }
  return `${url.protocol}//${url.host}`;
}

/** Which client endpoint a token is for: the Web PubSub WebSocket protocols, or MQTT (`/clients/mqtt/hubs/<hub>`). */
export type ClientProtocol = 'default' | 'mqtt';

function clientPath(hub: string, protocol: ClientProtocol): string {
  return protocol === 'mqtt' ? `/clients/mqtt/hubs/${hub}` : `/client/hubs/${hub}`;
}

export function clientBaseUrl(endpoint: string, hub: string, protocol: ClientProtocol = 'default'): string {
  return `${endpoint.replace(/^http/i, 'ws')}${clientPath(hub, protocol)}`;
}

/** The `aud` of a client token: the http(s) form of the client URL, no query, no trailing slash (docs/protocol/auth.md §3). */
export function clientAudience(endpoint: string, hub: string, protocol: ClientProtocol = 'default'): string {
  return `${endpoint}${clientPath(hub, protocol)}`;
}
