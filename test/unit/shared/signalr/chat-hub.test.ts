import { decode } from '@msgpack/msgpack';
import { signalrChatHub } from '../../../../shared/signalr/chat-hub';
import { completionBody, dispatchSignalREvent } from '../../../../shared/signalr/event-dispatch';
import { defineSignalRHub } from '../../../../shared/signalr/hub-definition';
import type { SignalRService } from '../../../../shared/signalr/rest-client';

function recorder(): SignalRService & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec =
    (name: string) =>
    async (...a: unknown[]) =>
      void calls.push([name, ...a]);
  return {
    calls,
    sendToAll: rec('sendToAll'),
    sendToUser: rec('sendToUser'),
    sendToGroup: rec('sendToGroup'),
    sendToConnection: rec('sendToConnection'),
    addConnectionToGroup: rec('addConnectionToGroup'),
    removeConnectionFromGroup: rec('removeConnectionFromGroup'),
    addUserToGroup: rec('addUserToGroup'),
    removeUserFromGroup: rec('removeUserFromGroup'),
    closeConnection: rec('closeConnection'),
    connectionExists: async () => true,
  };
}

const connection = { hub: 'chat', connectionId: 'c1', userId: 'ann' };
const message = (target: string, args: unknown[], invocationId?: string) => ({
  kind: 'message' as const,
  connection,
  protocol: 'json' as const,
  invocation: { target, arguments: args, ...(invocationId ? { invocationId } : {}) },
});

describe('the chat hub over SignalR', () => {
  it('announces joins and leaves with the target system', async () => {
    const s = recorder();
    await dispatchSignalREvent({ kind: 'connected', connection }, signalrChatHub, s);
    await dispatchSignalREvent({ kind: 'disconnected', connection }, signalrChatHub, s);
    expect(s.calls).toEqual([
      ['sendToAll', 'system', [{ system: 'joined', userId: 'ann' }]],
      ['sendToAll', 'system', [{ system: 'left', userId: 'ann' }]],
    ]);
  });

  it('sends messages to everyone or a room, and manages rooms', async () => {
    const s = recorder();
    await dispatchSignalREvent(message('message', [{ text: 'hi' }]), signalrChatHub, s);
    await dispatchSignalREvent(message('Join', ['lobby']), signalrChatHub, s);
    await dispatchSignalREvent(message('message', [{ text: 'psst', group: 'lobby' }]), signalrChatHub, s);
    await dispatchSignalREvent(message('leave', ['lobby']), signalrChatHub, s);
    const [all, add, joined, room, remove, left] = s.calls;
    expect(all).toEqual(['sendToAll', 'message', [expect.objectContaining({ from: 'ann', text: 'hi' })]]);
    expect((all![2] as [{ group?: string }])[0]).not.toHaveProperty('group');
    expect(add).toEqual(['addConnectionToGroup', 'lobby', 'c1']);
    expect(joined).toEqual(['sendToGroup', 'lobby', 'system', [{ system: 'joined', userId: 'ann', group: 'lobby' }]]);
    expect(room).toEqual(['sendToGroup', 'lobby', 'message', [expect.objectContaining({ from: 'ann', text: 'psst', group: 'lobby' })]]);
    expect(remove).toEqual(['removeConnectionFromGroup', 'lobby', 'c1']);
    expect(left).toEqual(['sendToGroup', 'lobby', 'system', [{ system: 'left', userId: 'ann', group: 'lobby' }]]);
  });

  it.each([
    ['an empty text', 'message', [{ text: ' ' }]],
    ['a non-object message', 'message', ['hi']],
    ['a too long text', 'message', [{ text: 'x'.repeat(4001) }]],
    ['a room that is not a string', 'join', [5]],
    ['the presence group', 'join', ['__presence']],
  ])('refuses %s with 400 and sends nothing', async (_n, target, args) => {
    const s = recorder();
    await expect(dispatchSignalREvent(message(target, args), signalrChatHub, s)).rejects.toMatchObject({ status: 400 });
    expect(s.calls).toEqual([]);
  });

  it('refuses messages from connections without a user (401) and unknown targets (404)', async () => {
    const s = recorder();
    await expect(
      dispatchSignalREvent({ ...message('message', [{ text: 'x' }]), connection: { hub: 'chat', connectionId: 'c2' } }, signalrChatHub, s),
    ).rejects.toMatchObject({ status: 401 });
    await expect(dispatchSignalREvent(message('nope', []), signalrChatHub, s)).rejects.toMatchObject({ status: 404 });
  });
});

describe('completions', () => {
  it('returns a handler result as a completion in the caller protocol', async () => {
    const hub = defineSignalRHub({ name: 'calc', targets: { add: async (_c, a) => (a[0] as number) + (a[1] as number) } });
    const reply = await dispatchSignalREvent(message('add', [40, 2], 'i9'), hub, recorder());
    expect(reply.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(reply.body))).toEqual({ type: 3, invocationId: 'i9', result: 42 });
    const mp = completionBody('i9', 'x'.repeat(200), 'messagepack');
    expect(mp.contentType).toBe('application/x-msgpack');
    // Two-byte varint prefix for a body over 127 bytes.
    expect(mp.body[0]! & 0x80).toBe(0x80);
    expect(decode(mp.body.subarray(2))).toEqual([3, {}, 'i9', 3, 'x'.repeat(200)]);
    expect((await dispatchSignalREvent(message('add', [1, 2]), hub, recorder())).body).toBeUndefined();
  });
});
