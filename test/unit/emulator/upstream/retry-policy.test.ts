import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyRequestError, describeRequestError, isRetryableStatus } from '../../../../emulator/upstream/retry-policy';
import { WebhookClient, WebhookTransportError } from '../../../../emulator/upstream/webhook-client';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('classifyRequestError', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
  ])('%s is a network error', (code) => {
    expect(classifyRequestError(withCode(code))).toBe('network');
  });

  it.each(['ERR_INVALID_CHAR', 'ERR_INVALID_URL', 'ERR_HTTP_INVALID_HEADER_VALUE', 'HPE_INVALID_CONSTANT', 'UND_ERR_INVALID_ARG', 'UND_ERR_HEADERS_OVERFLOW'])(
    '%s is a local error',
    (code) => {
      expect(classifyRequestError(withCode(code))).toBe('local');
    },
  );

  it('treats an error without a code as local', () => {
    expect(classifyRequestError(new Error('?'))).toBe('local');
    expect(classifyRequestError('text')).toBe('local');
    expect(classifyRequestError(null)).toBe('local');
  });

  it('names the code in the description', () => {
    expect(describeRequestError(withCode('ERR_INVALID_CHAR', 'Invalid character in header content ["x"]'))).toBe(
      'ERR_INVALID_CHAR: Invalid character in header content ["x"]',
    );
  });
});

describe('isRetryableStatus', () => {
  it('retries 408 and 5xx only', () => {
    expect([200, 204, 400, 401, 404, 408, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([408, 500, 502, 503]);
  });
});

describe('WebhookClient.sendWithRetry', () => {
  let client: WebhookClient;
  beforeEach(() => {
    client = new WebhookClient();
  });
  afterEach(() => client.close());

  it('fails at once, without a retry, when the HTTP client refuses a header value (UND_ERR_INVALID_ARG)', async () => {
    const send = jest.spyOn(client, 'send');
    // A retry would wait 60 s, far past the test timeout.
    const attempt = client.sendWithRetry(
      { method: 'POST', url: 'http://127.0.0.1:9/x', headers: { 'ce-userId': 'Дмитрий' } },
      { timeoutMs: 120_000, retryDelaysMs: [60_000] },
    );
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookTransportError);
    expect((error as WebhookTransportError).retryable).toBe(false);
    expect((error as WebhookTransportError).message).toMatch(/^local error, not retried: UND_ERR_INVALID_ARG: invalid ce-userId header/);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('retries a refused connection (a network error)', async () => {
    // A port that was just free: connecting is refused.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const send = jest.spyOn(client, 'send');
    const error = await client
      .sendWithRetry({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {} }, { timeoutMs: 10_000, retryDelaysMs: [1, 1] })
      .catch((e: unknown) => e);
    expect((error as WebhookTransportError).retryable).toBe(true);
    expect((error as WebhookTransportError).message).toMatch(/ECONNREFUSED/);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('retries a 503 and returns the later success', async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      res.statusCode = ++calls === 1 ? 503 : 204;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const reply = await client.sendWithRetry(
        { method: 'POST', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, headers: {} },
        { timeoutMs: 10_000, retryDelaysMs: [1] },
      );
      expect(reply.status).toBe(204);
      expect(calls).toBe(2);
    } finally {
      client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
