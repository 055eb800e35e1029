import { clientAudience, clientBaseUrl, parseConnectionString } from '../../../../shared/config/connection-string';
import { ConfigError } from '../../../../shared/http/errors';

describe('parseConnectionString', () => {
  it('parses the cloud form', () => {
    expect(parseConnectionString('Endpoint=https://contoso.webpubsub.azure.com;AccessKey=abc==;Version=1.0;')).toEqual({
      endpoint: 'https://contoso.webpubsub.azure.com',
      accessKey: 'abc==',
    });
  });
  it('writes Port into the endpoint (local form)', () => {
    expect(parseConnectionString('Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;').endpoint).toBe('http://localhost:8080');
  });
  it('treats keys case-insensitively, trims, and splits each part at the first "="', () => {
    expect(parseConnectionString(' endpoint = http://h ; accesskey = a=b=c ')).toEqual({ endpoint: 'http://h', accessKey: 'a=b=c' });
  });
  it('prefixes https:// when the endpoint has no scheme and drops a trailing slash', () => {
    expect(parseConnectionString('Endpoint=contoso.webpubsub.azure.com/;AccessKey=k').endpoint).toBe('https://contoso.webpubsub.azure.com');
  });
  it('allows a missing AccessKey (identity mode)', () => {
    expect(parseConnectionString('Endpoint=https://a.webpubsub.azure.com;Version=1.0')).toEqual({ endpoint: 'https://a.webpubsub.azure.com' });
  });
  it.each([
    ['AccessKey=k;Version=1.0', /Endpoint is missing/],
    ['Endpoint=http://a;Endpoint=http://b;AccessKey=k', /appears twice/],
    ['Endpoint=http://a;Port=0;AccessKey=k', /Port/],
    ['Endpoint=http://a;Port=70000;AccessKey=k', /Port/],
    ['Endpoint=ftp://a;AccessKey=k', /http/],
    ['Endpoint=http://a;garbage;AccessKey=k', /not a Key=Value/],
  ])('rejects %p with a ConfigError naming the setting', (value, message) => {
    expect(() => parseConnectionString(value)).toThrow(ConfigError);
    expect(() => parseConnectionString(value)).toThrow(message);
    expect(() => parseConnectionString(value)).toThrow(/^WebPubSubConnectionString/);
  });
  it('never echoes the access key in an error', () => {
    try {
      parseConnectionString('Endpoint=http://a;Port=x;AccessKey=super-secret-value');
      throw new Error('expected a throw');
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('super-secret-value');
    }
  });
});

describe('client URLs', () => {
  it('builds the ws(s) base URL and the http(s) audience (docs/protocol/auth.md §2, §3)', () => {
    expect(clientBaseUrl('https://contoso.webpubsub.azure.com', 'chat')).toBe('wss://contoso.webpubsub.azure.com/client/hubs/chat');
    expect(clientBaseUrl('http://127.0.0.1:8080', 'Hub1')).toBe('ws://127.0.0.1:8080/client/hubs/Hub1');
    expect(clientAudience('http://127.0.0.1:8080', 'Hub1')).toBe('http://127.0.0.1:8080/client/hubs/Hub1');
  });
});
