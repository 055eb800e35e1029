import { isPublishOriginAllowed } from '../../../../shared/api/publish-origin';

describe("isPublishOriginAllowed (publish is for servers; browsers only from the app's own origin)", () => {
  const url = 'http://localhost:7071/api/publish';
  it.each<[string | null, readonly string[], boolean]>([
    [null, [], true], // curl, servers: no Origin header
    ['http://localhost:7071', [], true], // the chat page served by the app itself
    ['HTTP://LOCALHOST:7071', [], true],
    ['https://ops.example', ['https://ops.example'], true],
    ['https://evil.example', [], false],
    ['https://evil.example', ['*'], false], // "*" opens negotiate, never publish
    ['http://localhost:7072', [], false], // another local port is another origin
    ['null', [], false], // sandboxed frames, file:// pages
  ])('Origin %p with CorsAllowedOrigins %j → %p', (origin, allowed, ok) => {
    expect(isPublishOriginAllowed(origin, url, allowed)).toBe(ok);
  });
  it('an unparsable request URL only lets listed origins through', () => {
    expect(isPublishOriginAllowed('http://localhost:7071', 'not a url', [])).toBe(false);
  });
});
