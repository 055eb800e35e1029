import { createEventHandler } from '../../../../functions/event-handler';
import { captureServer, DEV_KEY, eventHeaders, invocation, request, runtimeFor } from '../../../support/functions-harness';

// The chat hub through the real event handler and the real SDK, against a capture server.
describe('chat through /api/eventhandler', () => {
  let server: Awaited<ReturnType<typeof captureServer>>;
  beforeAll(async () => {
    server = await captureServer((req) =>
      req.method === 'GET'
        ? { status: 200, body: '{"value":[{"connectionId":"c1","userId":"alice"}]}' }
        : req.method === 'PUT'
          ? { status: 200 }
          : { status: 202 },
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });
  const handler = () => createEventHandler(runtimeFor({ WebPubSubConnectionString: `Endpoint=${server.endpoint};AccessKey=${DEV_KEY};Version=1.0;` }));
  // WebHook-Request-Origin is the endpoint host: 127.0.0.1 here.
  const headers = (type: string, extra: Parameters<typeof eventHeaders>[1] = {}): Record<string, string> => ({
    ...eventHeaders(type, { userId: 'alice', connectionId: 'c1', ...extra }),
    'webhook-request-origin': '127.0.0.1',
  });

  it('a JSON message to a room is sent to that group as {from, text, group, at}', async () => {
    const r = (await handler()(
      request({ method: 'POST', headers: headers('azure.webpubsub.user.message'), body: '{"text":"hi","group":"room1"}' }),
      invocation().context,
    ))!;
    expect(r.status).toBe(204);
    expect(server.requests.map((q) => q.path)).toEqual(['/api/hubs/chat/groups/room1/:send']);
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ from: 'alice', text: 'hi', group: 'room1', at: expect.any(String) });
  });

  it('a text frame from a simple client goes to everyone', async () => {
    const r = (await handler()(
      request({ method: 'POST', headers: headers('azure.webpubsub.user.message', { contentType: 'text/plain' }), body: 'hello all' }),
      invocation().context,
    ))!;
    expect(r.status).toBe(204);
    expect(server.requests.map((q) => q.path)).toEqual(['/api/hubs/chat/:send']);
    expect(JSON.parse(server.requests[0]!.body.toString())).toMatchObject({ from: 'alice', text: 'hello all' });
  });

  it('connected announces the join and sends the roster', async () => {
    const r = (await handler()(request({ method: 'POST', headers: headers('azure.webpubsub.sys.connected'), body: '{}' }), invocation().context))!;
    expect(r.status).toBe(204);
    expect(server.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /api/hubs/chat/:send',
      'PUT /api/hubs/chat/groups/__presence/connections/c1',
      'GET /api/hubs/chat/groups/__presence/connections',
      'POST /api/hubs/chat/connections/c1/:send',
    ]);
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ system: 'joined', userId: 'alice' });
    expect(JSON.parse(server.requests[3]!.body.toString())).toEqual({ system: 'roster', users: ['alice'] });
  });

  it('connect without a user id is refused with 401', async () => {
    const h = headers('azure.webpubsub.sys.connect');
    delete h['ce-userId'];
    const r = (await handler()(request({ method: 'POST', headers: h, body: '{}' }), invocation().context))!;
    expect(r.status).toBe(401);
  });
});
