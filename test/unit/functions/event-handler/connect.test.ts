import { createEventHandler } from '../../../../functions/event-handler';
import { ForbiddenError, UnauthorizedError } from '../../../../shared/http/errors';
import { defineHub, fail, type HubDefinition } from '../../../../shared/hub/hub-definition';
import { bodyText, eventHeaders, fakeService, header, invocation, request, runtimeFor } from '../../../support/functions-harness';

const CONNECT = 'azure.webpubsub.sys.connect';
const body = JSON.stringify({ claims: { sub: ['alice'] }, query: {}, headers: {}, subprotocols: ['json.webpubsub.azure.v1'], clientCertificates: [] });

async function post(hub: HubDefinition, headers = eventHeaders(CONNECT, { hub: hub.name, userId: 'alice' }), payload = body, env: Record<string, string> = {}) {
  const { context, logs } = invocation('corr-42');
  const handler = createEventHandler(runtimeFor({ WebPubSubHub: hub.name, ...env }, { hubDefinitions: [hub], serviceFor: () => fakeService(hub.name) }));
  const response = (await handler(request({ method: 'POST', url: 'http://localhost:7071/api/eventhandler', headers, body: payload }), context))!;
  return { response, logs };
}

describe('connect (docs/protocol/cloud-events.md §6)', () => {
  it('no onConnect → 204', async () => {
    expect((await post(defineHub({ name: 'h' }))).response.status).toBe(204);
  });

  it('the handler sees the typed request', async () => {
    let seen: unknown;
    await post(defineHub({ name: 'h', onConnect: (r) => void (seen = r) }));
    expect(seen).toMatchObject({
      context: { hub: 'h', connectionId: 'conn-1', eventName: 'connect', userId: 'alice', origin: 'localhost', states: {} },
      claims: { sub: ['alice'] },
      subprotocols: ['json.webpubsub.azure.v1'],
    });
  });

  it('a ConnectResponse → 200 JSON with only the given fields', async () => {
    const { response } = await post(
      defineHub({
        name: 'h',
        allowedRoles: ['webpubsub.sendToGroup', 'webpubsub.joinLeaveGroup'],
        onConnect: () => ({ userId: 'bob', groups: ['g'], roles: ['webpubsub.sendToGroup.g'], subprotocol: 'json.webpubsub.azure.v1' }),
      }),
    );
    expect(response.status).toBe(200);
    expect(header(response, 'content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(bodyText(response))).toEqual({
      userId: 'bob',
      groups: ['g'],
      roles: ['webpubsub.sendToGroup.g'],
      subprotocol: 'json.webpubsub.azure.v1',
    });
  });

  it('subprotocol "" is omitted', async () => {
    const { response } = await post(defineHub({ name: 'h', onConnect: () => ({ userId: 'bob', subprotocol: '' }) }));
    expect(JSON.parse(bodyText(response))).toEqual({ userId: 'bob' });
  });

  it('setState → ce-connectionState with base64 JSON of all states', async () => {
    const { response } = await post(defineHub({ name: 'h', onConnect: (_r, ctx) => ctx.setState('room', 'lobby') }));
    expect(response.status).toBe(204);
    expect(JSON.parse(Buffer.from(header(response, 'ce-connectionState')!, 'base64').toString())).toEqual({ room: 'lobby' });
  });

  it.each<[string, () => never, number]>([
    [
      'UnauthorizedError',
      () => {
        throw new UnauthorizedError('who are you');
      },
      401,
    ],
    [
      'ForbiddenError',
      () => {
        throw new ForbiddenError('not you');
      },
      403,
    ],
    ['fail(400)', () => fail(400, 'bad'), 400],
    ['fail(500)', () => fail(500, 'down'), 500],
  ])('%s → %i with a plain-text message', async (_n, onConnect, status) => {
    const { response } = await post(defineHub({ name: 'h', onConnect }));
    expect(response.status).toBe(status);
    expect(header(response, 'content-type')).toBe('text/plain; charset=utf-8');
    expect(bodyText(response).length).toBeGreaterThan(0);
  });

  it('an untyped error → 500 with the correlation id, logged once with it', async () => {
    const { response, logs } = await post(
      defineHub({
        name: 'h',
        onConnect: () => {
          throw new Error('database exploded');
        },
      }),
    );
    expect(response.status).toBe(500);
    expect(bodyText(response)).toContain('corr-42');
    expect(bodyText(response)).not.toContain('database exploded');
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toContain('corr-42');
    expect(errors[0]!.text).toContain('database exploded');
  });

  it('a rejected promise is handled the same way (no unhandled rejection)', async () => {
    const { response } = await post(defineHub({ name: 'h', onConnect: () => Promise.reject(new Error('async boom')) }));
    expect(response.status).toBe(500);
  });

  it('granting a role outside allowedRoles fails the connect', async () => {
    const hub = defineHub({ name: 'h', allowedRoles: ['webpubsub.joinLeaveGroup'], onConnect: () => ({ roles: ['webpubsub.sendToGroup'] }) });
    const { response } = await post(hub, undefined, body, { WebPubSubRoles: 'webpubsub.joinLeaveGroup' });
    expect(response.status).toBe(500);
    expect(bodyText(response)).toMatch(/allowedRoles/);
  });

  it('malformed body → 400', async () => {
    expect((await post(defineHub({ name: 'h' }), undefined, '{')).response.status).toBe(400);
  });

  it('an unconfigured hub → 404', async () => {
    const { response } = await post(defineHub({ name: 'h' }), eventHeaders(CONNECT, { hub: 'other' }));
    expect(response.status).toBe(404);
  });
});
