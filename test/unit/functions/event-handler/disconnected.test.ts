import { createEventHandler } from '../../../../functions/event-handler';
import { defineHub } from '../../../../shared/hub/hub-definition';
import { eventHeaders, fakeService, invocation, request, runtimeFor } from '../../../support/functions-harness';

describe('disconnected (docs/protocol/cloud-events.md §5)', () => {
  it('passes the reason and answers 204', async () => {
    const reasons: (string | undefined)[] = [];
    const hub = defineHub({ name: 'h', onDisconnected: (r) => void reasons.push(r.reason) });
    const handler = createEventHandler(runtimeFor({ WebPubSubHub: 'h' }, { hubDefinitions: [hub], serviceFor: () => fakeService('h') }));
    for (const body of ['{"reason":"closed by client"}', '{"reason":""}', '{}']) {
      const { context } = invocation();
      const response = (await handler(request({ method: 'POST', headers: eventHeaders('azure.webpubsub.sys.disconnected', { hub: 'h' }), body }), context))!;
      expect(response.status).toBe(204);
    }
    expect(reasons).toEqual(['closed by client', '', undefined]);
  });
});
