import { isValidHostHeader, requestTargetProblem } from '../../../../emulator/http/request-target';

describe('emulator request-target checks', () => {
  it.each(['localhost', 'localhost:8080', '127.0.0.1:1', '[::1]:8080', 'my_service.internal', 'a.webpubsub.azure.com'])('accepts Host %s', (host) => {
    expect(isValidHostHeader(host)).toBe(true);
    expect(requestTargetProblem('/api/health', host)).toBeUndefined();
  });

  it.each(['[', 'a b', 'x@y', 'localhost:99999', 'é', 'h:8080:1', 'a/b', '%'])('refuses Host %j', (host) => {
    expect(requestTargetProblem('/api/health', host)).toMatch(/Host header/);
  });

  it('accepts a missing or empty Host, refuses a target that is not a path', () => {
    expect(requestTargetProblem('/x', undefined)).toBeUndefined();
    expect(requestTargetProblem('/x', '')).toBeUndefined();
    expect(requestTargetProblem('http://[', 'localhost')).toMatch(/request target/);
    expect(requestTargetProblem('*', 'localhost')).toMatch(/request target/);
  });
});
