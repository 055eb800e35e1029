import { isAllowedOriginReply } from '../../../../emulator/upstream/validation';

describe('isAllowedOriginReply', () => {
  it.each([
    [200, '*', true],
    [204, 'localhost', true],
    [200, 'LOCALHOST', true],
    [200, 'localhost:8080', true],
    [200, 'localhost:9999', false],
    [200, 'a.webpubsub.azure.com, localhost:8080', true],
    [200, ['a.webpubsub.azure.com', 'localhost'], true],
    [200, 'http://localhost:8080', true],
    [200, 'contoso.webpubsub.azure.com', false],
    [200, undefined, false],
    [200, '', false],
    [400, '*', false],
    [301, '*', false],
  ] as const)('status %i with %j → %s', (status, header, expected) => {
    expect(isAllowedOriginReply(status, header, 'localhost', 8080)).toBe(expected);
  });
});
