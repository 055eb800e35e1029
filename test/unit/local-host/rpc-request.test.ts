import { HttpRequest } from '@azure/functions';
import { plainValues, toInvocationRequest, toRpcHttp } from '../../../local-host/rpc-request';

describe('toRpcHttp', () => {
  it('keeps query names such as constructor and toString as plain values', () => {
    const r = toRpcHttp({
      method: 'get',
      url: 'http://localhost:7071/api/x?constructor=a&toString=b&toString=c',
      headers: {},
      params: {},
      body: Buffer.alloc(0),
    });
    expect(plainValues(r.nullableQuery)).toEqual({ constructor: 'a', toString: 'b,c' });
  });

  const rpc = toRpcHttp({
    method: 'post',
    url: 'http://localhost:7071/api/items/7?tag=a&tag=b&q=x%20y',
    headers: { 'content-type': 'application/json', 'x-multi': ['1', '2'], 'x-none': undefined },
    params: { id: '7' },
    body: Buffer.from('{"a":1}'),
  });

  it('builds the RPC http data the library reads, with nullable maps only, as the real host sends them', () => {
    expect(rpc).toMatchObject({
      method: 'POST',
      url: 'http://localhost:7071/api/items/7?tag=a&tag=b&q=x%20y',
      nullableHeaders: { 'content-type': { value: 'application/json' }, 'x-multi': { value: '1, 2' } },
      nullableQuery: { tag: { value: 'a,b' }, q: { value: 'x y' } },
      nullableParams: { id: { value: '7' } },
      identities: [],
      cookies: [],
    });
    expect(rpc).not.toHaveProperty('headers');
    expect(rpc).not.toHaveProperty('query');
    expect(rpc).not.toHaveProperty('params');
    expect(Buffer.from(rpc.body!.bytes!).toString()).toBe('{"a":1}');
    expect(rpc.nullableHeaders).not.toHaveProperty('x-none');
  });

  it('sends a body only when the request has one', async () => {
    const empty = toRpcHttp({ method: 'POST', url: 'http://h/api/x', headers: {}, params: {}, body: Buffer.alloc(0) });
    expect(empty).not.toHaveProperty('body');
    const req = new HttpRequest(empty as ConstructorParameters<typeof HttpRequest>[0]);
    expect(await req.text()).toBe('');
  });

  it('is accepted by @azure/functions HttpRequest as the worker input', async () => {
    const req = new HttpRequest(rpc as ConstructorParameters<typeof HttpRequest>[0]);
    expect(req.method).toBe('POST');
    expect(req.params.id).toBe('7');
    expect(req.query.get('tag')).toBe('a,b');
    expect(req.headers.get('x-multi')).toBe('1, 2');
    expect(await req.json()).toEqual({ a: 1 });
  });
});

describe('toInvocationRequest', () => {
  it('names the trigger binding and exposes params in the trigger metadata', () => {
    const http = toRpcHttp({ method: 'GET', url: 'http://h/api/x/1', headers: {}, params: { id: '1' }, body: Buffer.alloc(0) });
    const request = toInvocationRequest('inv-1', 'fn', 'httpTrigger1', http);
    expect(request.inputData).toEqual([{ name: 'httpTrigger1', data: { http } }]);
    expect(request.triggerMetadata?.id).toEqual({ string: '1' });
    expect(JSON.parse(request.triggerMetadata!.Query!.json!)).toEqual({});
  });
});
