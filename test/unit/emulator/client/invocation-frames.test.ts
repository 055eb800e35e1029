import { WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { encodeInvokeResponse, isInvocationId } from '../../../../emulator/client/invocation-frames';

/** The frames are checked against the official 1.1.0 client's own parser. */
const parse = (frame: string) => WebPubSubJsonProtocol().parseMessages(frame);

describe('invocation frames', () => {
  it('encodes success with json, text and binary data as the 1.1.0 client parses them', () => {
    expect(parse(encodeInvokeResponse({ invocationId: 'a', result: { message: { dataType: 'json', data: Buffer.from('[1,2]') } } }))).toMatchObject({
      kind: 'invokeResponse',
      invocationId: 'a',
      success: true,
      dataType: 'json',
      data: [1, 2],
    });
    expect(parse(encodeInvokeResponse({ invocationId: 'a', result: { message: { dataType: 'text', data: Buffer.from('hé') } } }))).toMatchObject({
      success: true,
      dataType: 'text',
      data: 'hé',
    });
    const binary = parse(encodeInvokeResponse({ invocationId: 'a', result: { message: { dataType: 'binary', data: Buffer.from([0, 255]) } } })) as {
      data: ArrayBuffer;
    };
    expect([...new Uint8Array(binary.data)]).toEqual([0, 255]);
  });

  it('encodes a reply labelled JSON that is not JSON as text, an empty success without data, and errors', () => {
    expect(parse(encodeInvokeResponse({ invocationId: 'a', result: { message: { dataType: 'json', data: Buffer.from('{oops') } } }))).toMatchObject({
      dataType: 'text',
      data: '{oops',
    });
    expect(JSON.parse(encodeInvokeResponse({ invocationId: 'a', result: {} }))).toEqual({ type: 'invokeResponse', invocationId: 'a', success: true });
    expect(parse(encodeInvokeResponse({ invocationId: 'a"b', error: { name: 'Timeout', message: 'late' } }))).toMatchObject({
      invocationId: 'a"b',
      success: false,
      error: { name: 'Timeout', message: 'late' },
    });
  });

  it('bounds invocation ids', () => {
    expect(isInvocationId('1')).toBe(true);
    expect(isInvocationId('')).toBe(false);
    expect(isInvocationId('x'.repeat(257))).toBe(false);
    expect(isInvocationId(1)).toBe(false);
  });
});
