// With a bad setting every function answers 500 naming the setting (not 404, not a crash), and the
// problem is logged once per instance.
import type { HttpHandler } from '@azure/functions';
import { invocation, request } from '../../support/functions-harness';

type Handlers = { negotiate: HttpHandler; eventhandler: HttpHandler; publish: HttpHandler };

function loadWith(env: Record<string, string>): Handlers {
  process.env = { ...env };
  let handlers: Handlers | undefined;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.isolateModules(() => {
    require('../../../functions/startup');
    handlers = {
      negotiate: require('../../../functions/negotiate').negotiateHandler,
      eventhandler: require('../../../functions/event-handler').eventHandler,
      publish: require('../../../functions/publish').publishHandler,
    };
  });
  return handlers!;
}

describe('functions with a bad setting', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('negotiate and publish answer 500 JSON naming the setting, without its value', async () => {
    const h = loadWith({ WebPubSubConnectionString: 'Endpoint=https://x.webpubsub.azure.com;AccessKey=secret-value-123;Version=1.0;', NegotiateAuth: 'magic' });
    for (const handler of [h.negotiate, h.publish]) {
      const res = await handler(request({ method: 'POST', url: 'http://localhost/api/negotiate?userId=a', body: '{}' }), invocation().context);
      expect(res.status).toBe(500);
      const body = JSON.parse(String(res.body)) as { code: string; message: string; settings: string[] };
      expect(body.code).toBe('AppMisconfigured');
      expect(body.settings).toEqual(['NegotiateAuth']);
      expect(body.message).toContain('NegotiateAuth');
      expect(body.message).not.toContain('magic');
      expect(String(res.body)).not.toContain('secret-value-123');
    }
  });

  it('without NegotiateAuth, negotiate answers 500 naming it instead of trusting ?userId= (no silent dev)', async () => {
    const h = loadWith({
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;',
    });
    const res = await h.negotiate(request({ method: 'GET', url: 'http://localhost/api/negotiate?userId=alice' }), invocation().context);
    expect(res.status).toBe(500);
    expect((JSON.parse(String(res.body)) as { settings: string[] }).settings).toEqual(['NegotiateAuth']);
  });

  it('the event handler answers 500 text naming the setting (Web PubSub shows it in its logs)', async () => {
    const h = loadWith({});
    const res = await h.eventhandler(request({ method: 'OPTIONS', headers: { 'webhook-request-origin': 'x' } }), invocation().context);
    expect(res.status).toBe(500);
    expect(String(res.body)).toMatch(
      /^This Functions app is not configured correctly\. Fix the application settings WebPubSubConnectionString, WebPubSubConnectionString__serviceUri, NegotiateAuth /,
    );
  });

  it('logs the problems with the first request of the instance only', async () => {
    const h = loadWith({ WebPubSubConnectionString: 'not a connection string' });
    const first = invocation('inv-1');
    const second = invocation('inv-2');
    await h.negotiate(request({ method: 'GET' }), first.context);
    await h.publish(request({ method: 'POST', body: '{}' }), second.context);
    expect(first.logs.filter((l) => l.level === 'error').map((l) => l.text)).toEqual([
      expect.stringMatching(/^Configuration error: WebPubSubConnectionString/),
    ]);
    expect(second.logs).toEqual([]);
  });

  it('serves normally once the settings are right (a new instance)', async () => {
    const h = loadWith({
      NegotiateAuth: 'dev',
      WebPubSubConnectionString: 'Endpoint=http://localhost;Port=8080;AccessKey=LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789;Version=1.0;',
    });
    const res = await h.negotiate(request({ method: 'GET', url: 'http://localhost/api/negotiate?userId=alice' }), invocation().context);
    expect(res.status).toBe(200);
  });
});
