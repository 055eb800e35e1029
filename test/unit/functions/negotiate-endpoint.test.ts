import { negotiateEndpoint } from '../../../functions/negotiate-endpoint';
import { BadRequestError } from '../../../shared/http/errors';
import { bodyText, header, invocation, request } from '../../support/functions-harness';

const URL = 'http://localhost:7071/api/negotiate';
const ORIGIN = 'https://app.example.com';

async function call(method: string, work: () => Promise<{ status: number; headers?: Record<string, string>; body?: string }>, allowed = [ORIGIN]) {
  let calls = 0;
  const handler = negotiateEndpoint(allowed, () => {
    calls++;
    return work();
  });
  const response = await handler(request({ method, url: URL, headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } }), invocation().context);
  return { response: response as Exclude<typeof response, void>, calls };
}

describe('negotiateEndpoint', () => {
  it('answers a preflight itself, with the negotiate methods, and never runs the work', async () => {
    const { response, calls } = await call('OPTIONS', () => Promise.reject(new Error('not called')));
    expect(calls).toBe(0);
    expect(response.status).toBe(204);
    expect(header(response, 'access-control-allow-origin')).toBe(ORIGIN);
    expect(header(response, 'access-control-allow-methods')).toBe('GET, POST, OPTIONS');
  });

  it('puts CORS and no-store on a success', async () => {
    const { response } = await call('POST', () => Promise.resolve({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(response.status).toBe(200);
    expect(header(response, 'access-control-allow-origin')).toBe(ORIGIN);
    expect(header(response, 'cache-control')).toBe('no-store');
    expect(header(response, 'content-type')).toBe('application/json');
  });

  it('puts them on an error too, so a page on another origin can read why negotiate failed', async () => {
    const { response } = await call('GET', () => Promise.reject(new BadRequestError('userId is required')));
    expect(response.status).toBe(400);
    expect(JSON.parse(bodyText(response))).toMatchObject({ message: 'userId is required' });
    expect(header(response, 'access-control-allow-origin')).toBe(ORIGIN);
    expect(header(response, 'cache-control')).toBe('no-store');
  });

  it('adds no CORS headers for an origin that is not allowed', async () => {
    const { response } = await call('GET', () => Promise.resolve({ status: 200 }), ['https://other.example.com']);
    expect(header(response, 'access-control-allow-origin')).toBeUndefined();
  });
});
