import fc from 'fast-check';
import { isValidHostHeader, parseRequestTarget, requestTargetProblem } from '../../../../emulator/http/request-target';

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

describe('parseRequestTarget', () => {
  const viaUrl = (target: string) => {
    let url: URL;
    try {
      url = new URL(target, 'http://emulator.invalid');
    } catch {
      return undefined;
    }
    return { pathname: url.pathname, query: [...url.searchParams] };
  };
  const viaParse = (target: string) => {
    const parsed = parseRequestTarget(target);
    return parsed && { pathname: parsed.pathname, query: [...parsed.searchParams] };
  };

  it.each([
    '/client/hubs/chat',
    '//evil.example/client/hubs/chat',
    '//[',
    '/client/hubs/chat/?access_token=a.b.c&x=1&x=2',
    '/client/?hub=chat&webpubsub_mode=sendToGroup&group=g%20h+i',
    '/client/hubs/a.b',
    '/client/hubs/../hubs/chat',
    '/client/hubs/%2e%2e/chat',
    '/client/hubs/./chat?x=/./',
    '/client/hubs/a%60b',
    '/client/hubs/a`b?q="<>`{}\'',
    '/client/hubs/chat?x=%zz&y=%41',
    '/client\\hubs\\chat',
    '/client/hubs/chat#frag?x=1',
    '/client/hubs/chat?x=1#frag',
    '/client/hubs/Дмитрий?u=Дмитрий',
    '/clients/mqtt/hubs/chat?access_token=t',
  ])('reads %s as new URL does', (target) => {
    expect(viaParse(target)).toEqual(viaUrl(target));
  });

  it('agrees with new URL on arbitrary paths and queries', () => {
    const char = fc.constantFrom(...'/?#%.\\`"<> +=&aZ09_-~[]:@!\'{}Д\t'.split(''));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 24 }), (chars) => {
        const target = `/${chars.join('')}`;
        expect(viaParse(target)).toEqual(viaUrl(target));
      }),
      { numRuns: 2000 },
    );
  });
});
