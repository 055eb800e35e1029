import { createEventHandler } from '../../../../functions/event-handler';
import { MAX_EVENT_BODY_BYTES } from '../../../../shared/upstream/cloud-event-parser';
import { defineHub, type HubDefinition } from '../../../../shared/hub/hub-definition';
import { bodyText, eventHeaders, fakeService, header, invocation, request, runtimeFor } from '../../../support/functions-harness';

async function post(hub: HubDefinition, opts: { event?: string; contentType: string; body: string | Uint8Array; state?: string }) {
  const { context } = invocation();
  const handler = createEventHandler(runtimeFor({ WebPubSubHub: hub.name }, { hubDefinitions: [hub], serviceFor: () => fakeService(hub.name) }));
  const headers = eventHeaders(`azure.webpubsub.user.${opts.event ?? 'message'}`, {
    hub: hub.name,
    userId: 'u',
    contentType: opts.contentType,
    ...(opts.state ? { state: opts.state } : {}),
  });
  return (await handler(request({ method: 'POST', headers, body: opts.body }), context))!;
}

const echo = defineHub({
  name: 'h',
  onUserEvent: {
    message: (r) =>
      r.dataType === 'binary'
        ? { dataType: 'binary', data: r.data }
        : r.dataType === 'json'
          ? { dataType: 'json', data: r.data }
          : { dataType: 'text', data: r.data },
    silent: () => undefined,
    count: (_r, ctx) => ctx.setState('count', ((ctx.connection.states.count as number | undefined) ?? 0) + 1),
  },
});

describe('user events (docs/protocol/cloud-events.md §7)', () => {
  it('text/plain in → text out (text/plain; charset=utf-8)', async () => {
    const r = await post(echo, { contentType: 'text/plain', body: 'héllo' });
    expect(r.status).toBe(200);
    expect(header(r, 'content-type')).toBe('text/plain; charset=utf-8');
    expect(bodyText(r)).toBe('héllo');
  });
  it('application/json in (parameters ignored) → JSON out', async () => {
    const r = await post(echo, { contentType: 'application/json; charset=utf-8', body: '{"a":[1,"x"]}' });
    expect(header(r, 'content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(bodyText(r))).toEqual({ a: [1, 'x'] });
  });
  it('application/octet-stream in → bytes out', async () => {
    const r = await post(echo, { contentType: 'application/octet-stream', body: new Uint8Array([0, 1, 254, 255]) });
    expect(header(r, 'content-type')).toBe('application/octet-stream');
    expect([...(r.body as Uint8Array)]).toEqual([0, 1, 254, 255]);
  });
  it('no result → 204; an unhandled event name → 204', async () => {
    expect((await post(echo, { event: 'silent', contentType: 'text/plain', body: 'x' })).status).toBe(204);
    expect((await post(echo, { event: 'unknown', contentType: 'text/plain', body: 'x' })).status).toBe(204);
  });
  it('state changes come back in ce-connectionState, merged with the incoming state', async () => {
    const state = Buffer.from(JSON.stringify({ count: 4, name: 'x' })).toString('base64');
    const r = await post(echo, { event: 'count', contentType: 'text/plain', body: 'x', state });
    expect(r.status).toBe(204);
    expect(JSON.parse(Buffer.from(header(r, 'ce-connectionState')!, 'base64').toString())).toEqual({ count: 5, name: 'x' });
    expect(header(await post(echo, { event: 'silent', contentType: 'text/plain', body: 'x', state }), 'ce-connectionState')).toBeUndefined();
  });
  it('another content type → 400', async () => {
    const r = await post(echo, { contentType: 'application/x-protobuf', body: 'x' });
    expect(r.status).toBe(400);
    expect(bodyText(r)).toMatch(/Content-Type/);
  });
  it('a body over the limit → 413', async () => {
    const r = await post(echo, { contentType: 'application/octet-stream', body: new Uint8Array(MAX_EVENT_BODY_BYTES + 1) });
    expect(r.status).toBe(413);
  });
});

describe('percent-encoded ce-* headers (CloudEvents HTTP binding §3.1.3.2)', () => {
  const seen: { userId?: string; eventName: string }[] = [];
  const recorder = defineHub({
    name: 'h',
    onUserEvent: { чат: (r) => void seen.push({ eventName: r.context.eventName, ...(r.context.userId ? { userId: r.context.userId } : {}) }) },
  });
  const send = async (userId: string, event: string) => {
    const { context } = invocation();
    const handler = createEventHandler(runtimeFor({ WebPubSubHub: 'h' }, { hubDefinitions: [recorder], serviceFor: () => fakeService('h') }));
    const headers = eventHeaders(`azure.webpubsub.user.${event}`, { hub: 'h', userId, contentType: 'text/plain' });
    return (await handler(request({ method: 'POST', headers, body: 'x' }), context))!;
  };

  it('a user named Дмитрий sending the event чат reaches the hub with both names intact', async () => {
    const r = await send('%D0%94%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9', '%D1%87%D0%B0%D1%82');
    expect(r.status).toBe(204);
    expect(seen).toEqual([{ userId: 'Дмитрий', eventName: 'чат' }]);
  });

  it('a malformed encoding is a 400 naming the header, and the handler keeps serving', async () => {
    const r = await send('%D0%', 'message');
    expect(r.status).toBe(400);
    expect(bodyText(r)).toMatch(/^ce-userId is not a valid CloudEvents header value/);
    expect((await send('ok', '%D1%87%D0%B0%D1%82')).status).toBe(204);
  });
});
