import { chatConfigHandler, createChatConfigHandler } from '../../../functions/chat-config';
import { bodyText, DEV_KEY, invocation, request, runtimeFor } from '../../support/functions-harness';

const signalr = { AzureSignalRConnectionString: `Endpoint=http://localhost;Port=8081;AccessKey=${DEV_KEY};Version=1.0;` };
const get = async (env: Record<string, string>) =>
  (await createChatConfigHandler(runtimeFor(env))(request({ method: 'GET', url: 'http://localhost:7071/api/chat-config' }), invocation().context))!;

describe('GET /api/chat-config', () => {
  it('tells the page to use Web PubSub by default, even with SignalR configured', async () => {
    const r = await get(signalr);
    expect(r.status).toBe(200);
    expect(JSON.parse(bodyText(r))).toEqual({ service: 'webpubsub' });
    expect((r.headers as Record<string, string>)['Cache-Control']).toBe('no-store');
  });

  it('tells the page to use SignalR when ChatService=signalr', async () => {
    expect(JSON.parse(bodyText(await get({ ...signalr, ChatService: 'SignalR' })))).toEqual({ service: 'signalr' });
  });

  it('answers 500 naming ChatService when it asks for SignalR without SignalR settings', async () => {
    const saved = { ...process.env };
    process.env = {
      WebPubSubConnectionString: `Endpoint=http://localhost;Port=8080;AccessKey=${DEV_KEY};Version=1.0;`,
      NegotiateAuth: 'dev',
      ChatService: 'signalr',
    };
    try {
      const r = (await chatConfigHandler(request({ method: 'GET' }), invocation().context))!;
      expect(r.status).toBe(500);
      expect(JSON.parse(bodyText(r))).toMatchObject({ code: 'AppMisconfigured', settings: expect.arrayContaining(['ChatService']) });
    } finally {
      process.env = saved;
    }
  });
});
