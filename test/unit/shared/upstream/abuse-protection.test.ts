import { checkWebHookOrigin } from '../../../../shared/upstream/abuse-protection';
import { BadRequestError } from '../../../../shared/http/errors';

const allowed = ['localhost', 'tunnel.example.com'];
const h = (v?: string) => new Headers(v === undefined ? {} : { 'WebHook-Request-Origin': v });

describe('checkWebHookOrigin (docs/protocol/cloud-events.md §2)', () => {
  it.each([
    ['localhost', 'localhost'],
    ['LOCALHOST', 'LOCALHOST'],
    ['localhost:8080', 'localhost:8080'],
    ['https://tunnel.example.com', 'https://tunnel.example.com'],
    ['evil.example.com, tunnel.example.com:443', 'tunnel.example.com:443'],
  ])('accepts %p and echoes %p', (value, echoed) => {
    expect(checkWebHookOrigin(h(value), allowed)).toBe(echoed);
  });
  it.each(['evil.example.com', 'localhost.evil.com', 'evillocalhost', 'localhost/path', '*'])('refuses %p with a 400 that says why', (value) => {
    expect(() => checkWebHookOrigin(h(value), allowed)).toThrow(BadRequestError);
    expect(() => checkWebHookOrigin(h(value), allowed)).toThrow(/EventHandlerAllowedOrigins/);
  });
  it('refuses a missing header', () => {
    expect(() => checkWebHookOrigin(h(), allowed)).toThrow(/missing header WebHook-Request-Origin/);
  });
});
