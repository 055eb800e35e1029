import { dispatchEvent } from '../../../../shared/upstream/hub-dispatch';
import { ForbiddenError } from '../../../../shared/http/errors';
import type { ConnectionContext } from '../../../../shared/upstream/event-types';
import { defineHub, fail, groupPresenceEventNames } from '../../../../shared/hub/hub-definition';
import { fakeService } from '../../../support/functions-harness';

// The example of docs/hub-api.md ("Writing a hub"), kept compiling and behaving as described.
const quizHub = defineHub({
  name: 'quiz',
  allowedRoles: ['webpubsub.joinLeaveGroup'],
  onConnect(request, { connection }) {
    if (!connection.userId) fail(401, 'sign in first');
    if (request.query.team?.[0] === 'admins') throw new ForbiddenError('no');
    return { groups: ['players'] };
  },
  onUserEvent: {
    async answer(request, { connection, service, setState }) {
      if (request.dataType !== 'json') fail(400, 'send JSON');
      setState('answered', true);
      await service.sendToGroup('players', { from: connection.userId, answer: request.data });
      return { dataType: 'text', data: 'got it' };
    },
  },
  onDisconnected: (request, { log }) => log.info(`left: ${request.reason}`),
});

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ctx = (eventName: string, userId?: string): ConnectionContext => ({
  hub: 'quiz',
  connectionId: 'c',
  eventName,
  ...(userId ? { userId } : {}),
  origin: '',
  states: {},
});
const connect = (userId: string | undefined, query: Record<string, string[]> = {}) =>
  dispatchEvent(
    { kind: 'connect', request: { context: ctx('connect', userId), claims: {}, query, headers: {}, subprotocols: [], clientCertificates: [] } },
    quizHub,
    fakeService('quiz'),
    log,
  );

describe('docs/hub-api.md example', () => {
  it('connect: 401 without user, 403 for admins, else joins players', async () => {
    await expect(connect(undefined)).rejects.toMatchObject({ status: 401, message: 'sign in first' });
    await expect(connect('a', { team: ['admins'] })).rejects.toMatchObject({ status: 403 });
    const reply = await connect('a');
    expect(JSON.parse(reply.body as string)).toEqual({ groups: ['players'] });
  });
  it('answer: sends to the group, sets state, replies text', async () => {
    const service = fakeService('quiz');
    const reply = await dispatchEvent({ kind: 'user', request: { context: ctx('answer', 'a'), dataType: 'json', data: 42 } }, quizHub, service, log);
    expect(reply).toMatchObject({ status: 200, body: 'got it' });
    expect(reply.headers?.['ce-connectionState']).toBe(Buffer.from('{"answered":true}').toString('base64'));
    expect(service.sent).toEqual([{ op: 'sendToGroup', target: 'players', data: { from: 'a', answer: 42 } }]);
    await expect(
      dispatchEvent({ kind: 'user', request: { context: ctx('answer', 'a'), dataType: 'text', data: '42' } }, quizHub, service, log),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('groupPresenceEventNames', () => {
  it('lists the presence events a hub handles, for the Bicep', () => {
    const noop = () => undefined;
    expect(groupPresenceEventNames(defineHub({ name: 'h' }))).toEqual([]);
    expect(groupPresenceEventNames(defineHub({ name: 'h', onGroupLeft: noop }))).toEqual(['left']);
    expect(groupPresenceEventNames(defineHub({ name: 'h', onGroupJoined: noop, onGroupLeft: noop }))).toEqual(['joined', 'left']);
  });
});
