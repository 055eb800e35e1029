import type { RunningEmulator } from '../../../emulator/server';
import { dispatchEvent } from '../../../shared/upstream/hub-dispatch';
import { InternalServerError } from '../../../shared/http/errors';
import { defineHub } from '../../../shared/hub/hub-definition';
import { fakeService } from '../../support/functions-harness';
import { clientUrl, FakeUpstream, RawClient, serviceClient, start } from '../../support/emulator-harness';

/** Role checks: a client cannot act beyond its roles, and a hub cannot grant roles it did not declare. */

describe('Roles', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  it('a client sending to a group without the role gets a Forbidden ack, and nothing is delivered', async () => {
    const member = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'member', groups: ['room'] }), 'json.webpubsub.azure.v1');
    await member.json(0);
    const sender = await RawClient.open(
      await clientUrl(emulator, 'chat', { userId: 'sender', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup.other'] }),
      'json.webpubsub.azure.v1',
    );
    await sender.json(0);
    sender.send({ type: 'sendToGroup', group: 'room', dataType: 'text', data: 'sneaky', ackId: 1 });
    sender.send({ type: 'sendToGroup', group: 'room', dataType: 'text', data: 'sneaky without ack' });
    const ack = await sender.find((m) => m.type === 'ack');
    expect(ack).toMatchObject({ ackId: 1, success: false, error: { name: 'Forbidden' } });
    // The frames were processed in order; a genuine group send now reaches the member first.
    await serviceClient(emulator, 'chat').group('room').sendToAll('control', { contentType: 'text/plain' });
    expect((await member.find((m) => m.type === 'message')).data).toBe('control');
    member.close();
    sender.close();
  });

  it('a hub whose connect handler grants a role outside allowedRoles fails closed (InternalServerError, no roles sent)', async () => {
    const hub = defineHub({
      name: 'chat',
      allowedRoles: ['webpubsub.joinLeaveGroup'],
      onConnect: () => ({ roles: ['webpubsub.sendToGroup', 'webpubsub.joinLeaveGroup'] }),
    });
    const event = {
      kind: 'connect' as const,
      request: {
        context: { hub: 'chat', connectionId: 'c', eventName: 'connect', origin: 'localhost', states: {} },
        claims: {},
        query: {},
        headers: {},
        subprotocols: [],
        clientCertificates: [],
      },
    };
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    await expect(dispatchEvent(event, hub, fakeService(), log)).rejects.toThrow(InternalServerError);
    await expect(dispatchEvent(event, hub, fakeService(), log)).rejects.toMatchObject({ code: 'RoleNotAllowed', status: 500 });
  });

  it('the emulator refuses the handshake with 500 when the connect handler fails that way', async () => {
    const upstream = new FakeUpstream();
    upstream.reply = () => ({ status: 500, body: 'connect handler granted roles outside the hub' });
    const url = await upstream.listen();
    const e2 = await start({
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: ['connect'] }] } },
    });
    try {
      expect(await RawClient.refusal(await clientUrl(e2, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1')).toBe(500);
    } finally {
      await e2.close();
      await upstream.close();
    }
  });
});
