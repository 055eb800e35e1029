import { GroupStreams } from '../../../../emulator/client/group-streams';
import type { OutboundMessage } from '../../../../emulator/core/types';

function setup(canSend = true) {
  const toSender: Record<string, unknown>[] = [];
  const toGroup: { group: string; frame: Record<string, unknown>; message?: OutboundMessage; noEcho: boolean }[] = [];
  const streams = new GroupStreams(
    {
      send: (f) => toSender.push(JSON.parse(f) as Record<string, unknown>),
      canSend: () => canSend,
      publish: (group, envelope, message, noEcho) => toGroup.push({ group, frame: JSON.parse(envelope) as Record<string, unknown>, message, noEcho }),
      fromUserId: 'sam',
    },
    { defaultIdleTimeoutMs: 1000, maxIdleTimeoutMs: 5000, maxStreams: 1 },
  );
  return { toSender, toGroup, streams };
}
const text = (s: string): OutboundMessage => ({ dataType: 'text', data: Buffer.from(s) });

describe('GroupStreams', () => {
  afterEach(() => jest.useRealTimers());

  it('acks the open with 1, forwards fragments in order with their stream info, and ends with an end marker', () => {
    const { toSender, toGroup, streams } = setup();
    streams.start('s', 'g', true, undefined);
    streams.data('s', 1, text('a'));
    streams.data('s', 2, text('b'));
    streams.end('s');
    expect(toSender).toEqual([
      { type: 'streamAck', streamId: 's', expectedSequenceId: 1 },
      { type: 'streamAck', streamId: 's', expectedSequenceId: 2 },
      { type: 'streamAck', streamId: 's', expectedSequenceId: 3 },
      { type: 'streamClosed', streamId: 's' },
    ]);
    expect(toGroup.map((d) => [d.frame.data, d.frame.stream, d.noEcho])).toEqual([
      ['a', { streamId: 's', streamSequenceId: 1 }, true],
      ['b', { streamId: 's', streamSequenceId: 2 }, true],
      ['', { streamId: 's', streamSequenceId: 3, endOfStream: true }, true],
    ]);
    expect(toGroup[0]!.frame).toMatchObject({ type: 'message', from: 'group', group: 'g', fromUserId: 'sam', dataType: 'text' });
    expect(toGroup[2]!.message).toBeUndefined();
    expect(streams.size).toBe(0);
  });

  it('re-acks a repeated fragment without forwarding it, nacks a gap, and keeps a keep-alive silent', () => {
    const { toSender, toGroup, streams } = setup();
    streams.start('s', 'g', false, undefined);
    streams.data('s', 1, text('a'));
    streams.data('s', 1, text('a'));
    streams.data('s', 3, text('c'));
    streams.data('s');
    expect(toSender.slice(2)).toEqual([
      { type: 'streamAck', streamId: 's', expectedSequenceId: 2 },
      { type: 'streamNack', streamId: 's', name: 'SequenceGap', message: 'expected fragment 2, got 3', expectedSequenceId: 2 },
    ]);
    expect(toGroup).toHaveLength(1);
  });

  it('refuses an open without permission or beyond the limit, and answers frames for unknown streams', () => {
    const denied = setup(false);
    expect(denied.streams.start('s', 'g', false, undefined)).toMatchObject({ ok: false, name: 'Forbidden' });
    expect(denied.toSender).toEqual([{ type: 'streamClosed', streamId: 's', error: { name: 'Forbidden', message: 'no permission to send to group "g"' } }]);
    const { toSender, streams } = setup();
    streams.start('a', 'g', false, undefined);
    expect(streams.start('b', 'g', false, undefined)).toMatchObject({ ok: false, name: 'TooManyRequests' });
    streams.data('x', 1, text('?'));
    streams.end('x');
    expect(toSender.slice(-2).map((f) => (f.error as { name: string }).name)).toEqual(['StreamNotFound', 'StreamNotFound']);
  });

  it("names the end: StreamAborted with the sender's details, BadRequest for a bad frame, ConnectionClosed on dispose", () => {
    const { toGroup, streams } = setup();
    streams.start('a', 'g', false, undefined);
    streams.end('a', { message: 'm', userErrorCode: 'E' });
    streams.start('b', 'g', false, undefined);
    streams.invalid('b', 'bad data');
    streams.start('c', 'g', false, undefined);
    streams.dispose();
    expect(toGroup.map((d) => (d.frame.stream as { error: unknown }).error)).toEqual([
      { name: 'StreamAborted', message: 'm', userErrorCode: 'E' },
      { name: 'BadRequest', message: 'bad data' },
      { name: 'ConnectionClosed', message: 'the sending connection closed' },
    ]);
  });

  it('ends an idle stream with IdleTimeout, each fragment restarting the clock; long timeouts are capped', () => {
    jest.useFakeTimers();
    const { toSender, toGroup, streams } = setup();
    streams.start('s', 'g', false, 60_000);
    jest.advanceTimersByTime(4000);
    streams.data('s', 1, text('a'));
    jest.advanceTimersByTime(4999);
    expect(streams.size).toBe(1);
    jest.advanceTimersByTime(1);
    expect(streams.size).toBe(0);
    expect(toSender.at(-1)).toEqual({ type: 'streamClosed', streamId: 's', error: { name: 'IdleTimeout', message: 'no stream traffic for 5000 ms' } });
    expect(toGroup.at(-1)!.frame.stream).toEqual({
      streamId: 's',
      streamSequenceId: 2,
      endOfStream: true,
      error: { name: 'IdleTimeout', message: 'no stream traffic for 5000 ms' },
    });
  });
});
