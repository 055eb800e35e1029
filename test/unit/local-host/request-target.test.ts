import { createRequestTargetCache, requestTargetCacheMaxLength, requestTargetCacheSize, requestUrl } from '../../../local-host/request-target';

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

describe('createRequestTargetCache', () => {
  it('answers what new URL gives, for plain and for normalised targets', () => {
    const targets = createRequestTargetCache();
    for (const [target, host] of [
      ['/api/negotiate?userId=a&userId=b&q=x%20y+z', 'localhost:7071'],
      ['/api/./x/../eventhandler', 'LOCALHOST:80'],
      ['/a b/é?c=d e', '127.0.0.1:7071'],
      ['//evil/api/publish', 'localhost'],
      ['/x', undefined],
    ] as const) {
      const url = new URL(`http://${host || 'localhost'}${target}`);
      const expected = { ok: true, target: { href: url.href, pathname: url.pathname, query: [...url.searchParams] } };
      expect(targets(target, host)).toEqual(expected);
      expect(targets(target, host)).toEqual(expected); // from the cache
    }
  });

  it('returns the same answer for a repeated target, and keeps the first request from changing it', () => {
    const targets = createRequestTargetCache();
    const first = targets('/api/negotiate?userId=a', 'localhost');
    const second = targets('/api/negotiate?userId=a', 'localhost');
    expect(second).toBe(first);
    if (!first.ok) throw new Error('expected a parsed target');
    expect(Object.isFrozen(first.target.query)).toBe(true);
  });

  it('keys by host and target together', () => {
    const targets = createRequestTargetCache();
    const a = targets('/x', 'a.example');
    const b = targets('/x', 'b.example');
    expect(a.ok && a.target.href).toBe('http://a.example/x');
    expect(b.ok && b.target.href).toBe('http://b.example/x');
  });

  it('still refuses a bad host or target, each time', () => {
    const targets = createRequestTargetCache();
    for (let i = 0; i < 2; i++) {
      expect(targets('/api/negotiate', 'a b')).toMatchObject({ ok: false });
      expect(targets('http://[', 'localhost')).toMatchObject({ ok: false });
    }
  });

  it('stays bounded: long targets are parsed but not kept, and a full cache starts over', () => {
    const targets = createRequestTargetCache();
    const long = `/x?${'a'.repeat(requestTargetCacheMaxLength)}`;
    expect(targets(long, 'localhost')).not.toBe(targets(long, 'localhost'));
    const kept = targets('/first', 'localhost');
    for (let i = 0; i < requestTargetCacheSize; i++) targets(`/p${i}`, 'localhost');
    expect(targets('/first', 'localhost')).not.toBe(kept);
    expect(targets('/first', 'localhost')).toEqual(kept);
  });
});
