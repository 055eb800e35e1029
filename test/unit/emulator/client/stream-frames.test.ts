import { WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { encodeStreamAck, encodeStreamClosed, encodeStreamGroupMessage, encodeStreamNack, parseEndError } from '../../../../emulator/client/stream-frames';

const parse = (frame: string) => WebPubSubJsonProtocol().parseMessages(frame);

describe('stream frames, as the 1.1.0 client parses them', () => {
  it('encodes ack, nack and closed', () => {
    expect(parse(encodeStreamAck('s"1', 4))).toEqual({ kind: 'streamAck', streamId: 's"1', expectedSequenceId: 4 });
    expect(parse(encodeStreamNack('s', 2, 'SequenceGap', 'm'))).toEqual({
      kind: 'streamNack',
      streamId: 's',
      name: 'SequenceGap',
      message: 'm',
      expectedSequenceId: 2,
    });
    expect(parse(encodeStreamClosed('s'))).toEqual({ kind: 'streamClosed', streamId: 's', error: undefined });
    expect(parse(encodeStreamClosed('s', { name: 'IdleTimeout', message: 'm' }))).toMatchObject({ error: { name: 'IdleTimeout', message: 'm' } });
  });

  it('encodes fragments and an end marker the client does not drop', () => {
    expect(parse(encodeStreamGroupMessage('g', 'u', { streamId: 's', streamSequenceId: 1 }, { dataType: 'json', data: Buffer.from('{"a":1}') }))).toMatchObject(
      {
        kind: 'groupData',
        group: 'g',
        fromUserId: 'u',
        dataType: 'json',
        data: { a: 1 },
        stream: { streamId: 's', streamSequenceId: 1 },
      },
    );
    expect(
      parse(encodeStreamGroupMessage('g', null, { streamId: 's', streamSequenceId: 2, endOfStream: true, error: { name: 'StreamAborted' } })),
    ).toMatchObject({
      kind: 'groupData',
      dataType: 'text',
      data: '',
      stream: { streamId: 's', streamSequenceId: 2, endOfStream: true, error: { name: 'StreamAborted' } },
    });
  });

  it("reads the sender's end error", () => {
    expect(parseEndError(undefined)).toBeUndefined();
    expect(parseEndError({ message: 'm', userErrorCode: 'E', name: 'ignored' })).toEqual({ message: 'm', userErrorCode: 'E' });
    expect(parseEndError({ message: 1 })).toBe('invalid');
    expect(parseEndError('x')).toBe('invalid');
  });
});
