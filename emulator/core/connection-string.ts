import { ConfigError } from './service-errors';

/**
 * What the emulator needs from a Web PubSub connection string (docs/protocol/auth.md §1.1):
 * `Endpoint=http(s)://host[:port];AccessKey=<key>;[Port=<n>;]Version=1.0;`. Used to find the default
 * key and port in local.settings.sample.json. Names are case-insensitive, values are trimmed, a value
 * may itself contain `=` (keys end in `=` padding), and `Port` overrides the endpoint's port.
 */
export interface ServiceConnectionString {
  readonly endpoint: URL;
  readonly port: number;
  readonly accessKey?: string;
}

export function parseServiceConnectionString(value: string, source: string): ServiceConnectionString {
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (eq <= 0 || name === '') throw new ConfigError([`${source}: "${name}" is not a Name=Value pair`]);
    if (fields.has(name.toLowerCase())) throw new ConfigError([`${source}: ${name} appears twice`]);
    fields.set(name.toLowerCase(), part.slice(eq + 1).trim());
  }
  const raw = fields.get('endpoint');
  if (raw === undefined || raw === '') throw new ConfigError([`${source}: Endpoint is missing`]);
  let endpoint: URL;
  try {
    endpoint = new URL(raw);
  } catch {
    throw new ConfigError([`${source}: Endpoint "${raw}" is not an absolute http:// or https:// URL`]);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new ConfigError([`${source}: Endpoint must start with http:// or https://`]);
  }
  const portText = fields.get('port');
  let port = endpoint.port === '' ? (endpoint.protocol === 'https:' ? 443 : 80) : Number(endpoint.port);
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError([`${source}: Port "${portText}" must be a whole number from 1 to 65535`]);
    endpoint.port = String(port);
  }
  const accessKey = fields.get('accesskey');
  return accessKey ? { endpoint, port, accessKey } : { endpoint, port };
}
