import { createEventHandler } from '../../../../functions/event-handler';
import { defineHub, type HubDefinition } from '../../../../shared/hub/hub-definition';
import { eventHeaders, fakeService, header, invocation, request, runtimeFor } from '../../../support/functions-harness';

async function post(hub: HubDefinition, state?: string) {
  const { context, logs } = invocation();
  const service = fakeService(hub.name);
  const handler = createEventHandler(runtimeFor({ WebPubSubHub: hub.name }, { hubDefinitions: [hub], serviceFor: () => service }));
  const headers = eventHeaders('azure.webpubsub.sys.connected', {
    hub: hub.name,
    userId: 'alice',
    subprotocol: 'json.webpubsub.azure.v1',
    ...(state !== undefined ? { state } : {}),
  });
  const response = (await handler(request({ method: 'POST', headers, body: '{}' }), context))!;
  return { response, logs, service };
}

describe('connected (docs/protocol/cloud-events.md §5)', () => {
  it('runs onConnected with the context and answers 204 without a state header', async () => {
    let seen: unknown;
    const { response } = await post(
      defineHub({
        name: 'h',
        onConnected: (r, ctx) => {
          seen = r.context;
          ctx.setState('ignored', true);
        },
      }),
      Buffer.from(JSON.stringify({ a: 1 })).toString('base64'),
    );
    expect(response.status).toBe(204);
    expect(header(response, 'ce-connectionState')).toBeUndefined();
    expect(seen).toMatchObject({ eventName: 'connected', userId: 'alice', subprotocol: 'json.webpubsub.azure.v1', states: { a: 1 } });
  });
  it('the hub can use the service', async () => {
    const { service } = await post(defineHub({ name: 'h', onConnected: (_r, ctx) => ctx.service.sendToAll({ hi: ctx.connection.userId }) }));
    expect(service.sent).toEqual([{ op: 'sendToAll', data: { hi: 'alice' } }]);
  });
  it('an invalid state header → {} and a warning without its value', async () => {
    let states: unknown;
    const { logs } = await post(defineHub({ name: 'h', onConnected: (r) => void (states = r.context.states) }), 'bm90IGpzb24=');
    expect(states).toEqual({});
    const warnings = logs.filter((l) => l.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).not.toContain('bm90IGpzb24=');
  });
});
