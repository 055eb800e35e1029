import { isAuthPath } from '../../../../local-host/easy-auth/endpoints';

describe('isAuthPath', () => {
  it('is /.auth and everything below it, in any case, trailing slashes ignored', () => {
    for (const p of ['/.auth', '/.auth/', '/.auth/me', '/.AUTH/login/aad', '/.auth/logout//']) expect(isAuthPath(p)).toBe(true);
  });

  it('is nothing else, including look-alike prefixes and the app routes', () => {
    for (const p of ['/', '/api/negotiate', '/.authx', '/.auth-me', '/x/.auth/me', '/api/.auth']) expect(isAuthPath(p)).toBe(false);
  });
});
