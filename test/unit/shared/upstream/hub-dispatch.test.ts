import { dispatchEvent } from '../../../../shared/upstream/hub-dispatch';
import { ForbiddenError } from '../../../../shared/http/errors';
import type { ConnectionContext, WebPubSubEvent } from '../../../../shared/upstream/event-types';
import { defineHub, fail } from '../../../../shared/hub/hub-definition';
import { fakeService } from '../../../support/functions-harness';

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context = (eventName: string, states: Record<string, unknown> = {}): ConnectionContext => ({
  hub: 'h',
  connectionId: 'c',
  eventName,
  userId: 'u',
  origin: 'localhost',
  states,
});
const connect = (states: Record<string, unknown> = {}): WebPubSubEvent => ({
  kind: 'connect',
  request: { context: context('connect', states), claims: {}, query: {}, headers: {}, subprotocols: [], clientCertificates: [] },
});
const user = (eventName: string, states: Record<string, unknown> = {}): WebPubSubEvent => ({
  kind: 'user',
  request: { context: context(eventName, states), dataType: 'text', data: 'x' },
});
const decode = (h?: string) => JSON.parse(Buffer.from(h!, 'base64').toString()) as unknown;

describe('dispatchEvent', () => {
  it('group presence: onGroupJoined / onGroupLeft run; the reply is the non-blocking one either way', async () => {
    const seen: string[] = [];
    const hub = defineHub({ name: 'h', onGroupJoined: (r) => void seen.push(`+${r.group}`), onGroupLeft: (r) => void seen.push(`-${r.group}`) });
    const joined: WebPubSubEvent = { kind: 'groupJoined', request: { context: context('joined'), group: 'g' } };
    const left: WebPubSubEvent = { kind: 'groupLeft', request: { context: context('left'), group: 'g' } };
    const r1 = await dispatchEvent(joined, hub, fakeService(), log);
    const r2 = await dispatchEvent(left, hub, fakeService(), log);
    expect(seen).toEqual(['+g', '-g']);
    expect(r1.status).toBe(r2.status);
    expect((await dispatchEvent(joined, defineHub({ name: 'h' }), fakeService(), log)).status).toBe(r1.status);
  });

  it('connect without handler → 204', async () => {
    expect((await dispatchEvent(connect(), defineHub({ name: 'h' }), fakeService(), log)).status).toBe(204);
  });
  it('setState returns the whole merged state, only when changed', async () => {
    const hub = defineHub({
      name: 'h',
      onUserEvent: {
        count: (_r, ctx) => ctx.setState('n', ((ctx.connection.states.n as number) ?? 0) + 1),
        quiet: () => undefined,
      },
    });
    const r1 = await dispatchEvent(user('count', { n: 1, keep: true }), hub, fakeService(), log);
    expect(decode(r1.headers?.['ce-connectionState'])).toEqual({ n: 2, keep: true });
    const r2 = await dispatchEvent(user('quiet', { n: 1 }), hub, fakeService(), log);
    expect(r2.headers?.['ce-connectionState']).toBeUndefined();
  });
  it('user events: exact name, then case-insensitive; unknown events → 204', async () => {
    const hub = defineHub({ name: 'h', onUserEvent: { Echo: (r) => ({ dataType: 'text', data: `echo ${r.data as string}` }) } });
    expect((await dispatchEvent(user('Echo'), hub, fakeService(), log)).body).toBe('echo x');
    expect((await dispatchEvent(user('echo'), hub, fakeService(), log)).body).toBe('echo x');
    expect((await dispatchEvent(user('other'), hub, fakeService(), log)).status).toBe(204);
  });
  it('typed errors and fail() propagate for the edge to map', async () => {
    await expect(
      dispatchEvent(
        connect(),
        defineHub({
          name: 'h',
          onConnect: () => {
            throw new ForbiddenError('no');
          },
        }),
        fakeService(),
        log,
      ),
    ).rejects.toMatchObject({ status: 403 });
    await expect(dispatchEvent(connect(), defineHub({ name: 'h', onConnect: () => fail(401, 'who?') }), fakeService(), log)).rejects.toMatchObject({
      status: 401,
      message: 'who?',
    });
  });
  it('connected/disconnected run their handlers and answer 204', async () => {
    const seen: string[] = [];
    const hub = defineHub({ name: 'h', onConnected: () => void seen.push('c'), onDisconnected: (r) => void seen.push(`d:${r.reason}`) });
    expect((await dispatchEvent({ kind: 'connected', request: { context: context('connected') } }, hub, fakeService(), log)).status).toBe(204);
    expect((await dispatchEvent({ kind: 'disconnected', request: { context: context('disconnected'), reason: 'bye' } }, hub, fakeService(), log)).status).toBe(
      204,
    );
    expect(seen).toEqual(['c', 'd:bye']);
  });
  it('the hub roles policy refuses a connect reply granting a role not allowed', async () => {
    const hub = defineHub({ name: 'h', allowedRoles: ['webpubsub.joinLeaveGroup'], onConnect: () => ({ roles: ['webpubsub.sendToGroup'] }) });
    await expect(dispatchEvent(connect(), hub, fakeService(), log)).rejects.toMatchObject({ status: 500, code: 'RoleNotAllowed' });
  });
});

describe('defineHub', () => {
  it('rejects invalid names and roles', () => {
    expect(() => defineHub({ name: '1' })).toThrow(/hub name/);
    expect(() => defineHub({ name: 'h', allowedRoles: ['root'] })).toThrow(/allowedRoles/);
  });
});
