import { fromRpcHttp, pickHttpResult, serializeCookie, typedDataToBuffer } from '../../../local-host/rpc-response';

describe('fromRpcHttp', () => {
  it('answers 204 when the function returned nothing', () => {
    expect(fromRpcHttp(undefined)).toEqual({ status: 204, headers: [], body: Buffer.alloc(0) });
  });

  it('keeps status, headers and bytes, and adds a Set-Cookie per cookie', () => {
    const reply = fromRpcHttp({
      statusCode: '201',
      headers: { 'content-type': 'application/json', 'x-a': 'b' },
      body: { bytes: new TextEncoder().encode('{"ok":true}') },
      cookies: [
        { name: 'a', value: '1', httpOnly: { value: true }, sameSite: 'strict', path: { value: '/' } },
        { name: 'b', value: '2', sameSite: 'none' },
      ],
    });
    expect(reply.status).toBe(201);
    expect(reply.body.toString()).toBe('{"ok":true}');
    expect(reply.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-a', 'b'],
      ['set-cookie', 'a=1; Path=/; HttpOnly; SameSite=Strict'],
      ['set-cookie', 'b=2'],
    ]);
  });

  it.each([
    [{ string: 'hi' }, 'text/plain; charset=utf-8'],
    [{ json: '{"a":1}' }, 'application/json; charset=utf-8'],
    [{ bytes: new Uint8Array([1]) }, 'application/octet-stream'],
  ])('defaults the content type of %j', (body, type) => {
    expect(fromRpcHttp({ statusCode: '200', body }).headers).toEqual([['content-type', type]]);
  });

  it('treats a missing status code as 200', () => {
    expect(fromRpcHttp({ body: { string: 'x' } }).status).toBe(200);
  });
});

describe('typedDataToBuffer', () => {
  it('reads a view without copying bytes outside it', () => {
    const backing = new Uint8Array([9, 1, 2, 9]);
    expect([...typedDataToBuffer({ bytes: backing.subarray(1, 3) })]).toEqual([1, 2]);
  });
  it.each([
    [{ stream: new Uint8Array([7]) }, [7]],
    [{ int: 42 }, [...Buffer.from('42')]],
    [{ double: 1.5 }, [...Buffer.from('1.5')]],
    [null, []],
  ])('%j', (data, bytes) => {
    expect([...typedDataToBuffer(data)]).toEqual(bytes);
  });
});

describe('serializeCookie', () => {
  it('writes every attribute the library can send', () => {
    expect(
      serializeCookie({
        name: 's',
        value: 'v',
        domain: { value: 'example.com' },
        path: { value: '/p' },
        expires: { value: { seconds: 0 } },
        maxAge: { value: 60 },
        secure: { value: true },
        httpOnly: { value: true },
        sameSite: 'explicitNone',
      }),
    ).toBe('s=v; Domain=example.com; Path=/p; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; HttpOnly; SameSite=None');
  });
});

describe('pickHttpResult', () => {
  it('prefers the return value, else the first http output binding', () => {
    expect(pickHttpResult({ returnValue: { http: { statusCode: '200' } } })).toEqual({ statusCode: '200' });
    expect(
      pickHttpResult({
        outputData: [
          { name: 'q', data: { string: 'x' } },
          { name: 'res', data: { http: { statusCode: '202' } } },
        ],
      }),
    ).toEqual({ statusCode: '202' });
    expect(pickHttpResult({ outputData: [] })).toBeUndefined();
  });
});
