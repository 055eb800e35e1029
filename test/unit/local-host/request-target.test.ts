import { requestUrl } from '../../../local-host/request-target';

describe('local host requestUrl', () => {
  it('builds the URL from a valid Host and an origin-form target', () => {
    const r = requestUrl('/api/negotiate?userId=a', 'localhost:7071');
    expect(r.ok && r.url.href).toBe('http://localhost:7071/api/negotiate?userId=a');
    const v6 = requestUrl('/x', '[::1]:7071');
    expect(v6.ok && v6.url.host).toBe('[::1]:7071');
  });

  it('keeps //x/y a path instead of letting it name a host', () => {
    const r = requestUrl('//evil/api/publish', 'localhost');
    expect(r.ok && r.url.host).toBe('localhost');
    expect(r.ok && r.url.pathname).toBe('//evil/api/publish');
  });

  it('uses localhost when Host is missing or empty', () => {
    const r = requestUrl('/x', '');
    expect(r.ok && r.url.host).toBe('localhost');
  });

  it.each(['[', 'a b', 'x@y', 'localhost:99999', 'é', 'a/b'])('refuses Host %j with a clear message', (host) => {
    expect(requestUrl('/api/negotiate', host)).toEqual({ ok: false, message: 'The Host header is not a valid host name (host or host:port).' });
  });

  it('refuses a target that is not a path', () => {
    expect(requestUrl('http://[', 'localhost')).toMatchObject({ ok: false, message: expect.stringMatching(/request target/) });
  });
});
