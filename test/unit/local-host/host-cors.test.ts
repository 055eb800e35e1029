import { decideCors, parseCorsPolicy } from '../../../local-host/host-cors';

const preflight = { method: 'OPTIONS', origin: 'http://app.example', requestMethod: 'POST', requestHeaders: 'content-type' };

describe('decideCors', () => {
  it('adds nothing when Host.CORS is not set, and lets OPTIONS through to the functions', () => {
    expect(decideCors(parseCorsPolicy(undefined, undefined), preflight)).toEqual({ kind: 'actual', headers: {} });
  });

  it('answers a preflight from an allowed origin with the requested method and headers', () => {
    expect(decideCors(parseCorsPolicy('http://app.example, http://other.example/', undefined), preflight)).toEqual({
      kind: 'preflight',
      headers: {
        'access-control-allow-origin': 'http://app.example',
        vary: 'Origin',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      },
    });
  });

  it('answers a preflight from another origin without CORS headers', () => {
    expect(decideCors(parseCorsPolicy('http://other.example', undefined), preflight)).toEqual({ kind: 'preflight', headers: {} });
  });

  it('answers * for any origin, but echoes the origin when credentials are allowed', () => {
    const get = { method: 'GET', origin: 'http://x.example' };
    expect(decideCors(parseCorsPolicy('*', undefined), get).headers).toEqual({ 'access-control-allow-origin': '*' });
    expect(decideCors(parseCorsPolicy('*', 'true'), get).headers).toEqual({
      'access-control-allow-origin': 'http://x.example',
      vary: 'Origin',
      'access-control-allow-credentials': 'true',
    });
  });

  it('does not treat the Web PubSub abuse-protection OPTIONS (no Origin) as a preflight', () => {
    expect(decideCors(parseCorsPolicy('*', undefined), { method: 'OPTIONS' }).kind).toBe('actual');
  });
});
