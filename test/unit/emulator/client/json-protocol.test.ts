import {
  decodeData,
  encodeAck,
  encodeConnected,
  encodeDisconnected,
  encodeMessageEnvelope,
  parseClientMessage,
  withSequenceId,
} from '../../../../emulator/client/json-protocol';

describe('parseClientMessage', () => {
  it.each([
    ['{"type":"joinGroup","group":"g","ackId":1}', { type: 'joinGroup', group: 'g', ackId: 1 }],
    ['{"type":"leaveGroup","group":"g"}', { type: 'leaveGroup', group: 'g' }],
    ['{"type":"sequenceAck","sequenceId":2}', { type: 'sequenceAck', sequenceId: 2 }],
    ['{"type":"ping"}', { type: 'ping' }],
    ['{"type":"ping","extra":true}', { type: 'ping' }],
    ['{"type":"newFeature"}', { type: 'ignored' }],
    ['{"type":"newFeature","ackId":4}', { invalid: 'unknown message type "newFeature"', ackId: 4 }],
    ['{"type":"invoke","invocationId":"1","target":"event","event":"e"}', { type: 'invoke', invocationId: '1', event: 'e' }],
    [
      '{"type":"invoke","invocationId":"1","event":"e","dataType":"text","data":"hi"}',
      { type: 'invoke', invocationId: '1', event: 'e', message: { dataType: 'text', data: Buffer.from('hi') } },
    ],
    [
      '{"type":"invoke","invocationId":"2","target":"client","event":"e"}',
      { type: 'invokeInvalid', invocationId: '2', reason: 'invocation target "client" is not supported; use "event"' },
    ],
    // Found by the property test: String() of {"toString":1} throws; the parser must not.
    [
      '{"type":"invoke","invocationId":"5","target":{"toString":1},"event":"e"}',
      { type: 'invokeInvalid', invocationId: '5', reason: 'invocation target of type object is not supported; use "event"' },
    ],
    ['{"type":"invoke","invocationId":"3","event":""}', { type: 'invokeInvalid', invocationId: '3', reason: '"event" must be a non-empty string' }],
    [
      '{"type":"invoke","invocationId":"4","event":"e","dataType":"binary","data":"%%"}',
      { type: 'invokeInvalid', invocationId: '4', reason: '"data" must be standard base64 when dataType is "binary"' },
    ],
    ['{"type":"invoke","event":"e"}', { invalid: '"invocationId" must be a string of 1 to 256 characters' }],
    ['{"type":"cancelInvocation","invocationId":"1"}', { type: 'cancelInvocation', invocationId: '1' }],
    ['{"type":"cancelInvocation"}', { invalid: '"invocationId" must be a string of 1 to 256 characters' }],
    [
      '{"type":"sendToGroup","group":"g","noEcho":true,"stream":{"streamId":"s","idleTimeoutMs":500}}',
      { type: 'streamStart', group: 'g', streamId: 's', noEcho: true, idleTimeoutMs: 500 },
    ],
    ['{"type":"sendToGroup","group":"g","ackId":3,"stream":{"streamId":"s"}}', { type: 'streamStart', group: 'g', streamId: 's', noEcho: false, ackId: 3 }],
    [
      '{"type":"sendToGroup","group":"g","ackId":3,"stream":{"streamId":"s"},"dataType":"text","data":"x"}',
      { invalid: 'a stream-opening "sendToGroup" carries no "data"; send fragments with "streamData"', ackId: 3 },
    ],
    [
      '{"type":"sendToGroup","group":"g","stream":{"streamId":"s","idleTimeoutMs":-1}}',
      { invalid: '"stream.idleTimeoutMs" must be a positive whole number of milliseconds' },
    ],
    ['{"type":"streamData","streamId":"s"}', { type: 'streamData', streamId: 's' }],
    [
      '{"type":"streamData","streamId":"s","streamSequenceId":1,"dataType":"json","data":{"a":1}}',
      { type: 'streamData', streamId: 's', sequenceId: 1, message: { dataType: 'json', data: Buffer.from('{"a":1}') } },
    ],
    [
      '{"type":"streamData","streamId":"s","streamSequenceId":0,"dataType":"text","data":"x"}',
      { type: 'streamInvalid', streamId: 's', reason: '"streamSequenceId" must be a whole number from 1' },
    ],
    ['{"type":"streamEnd","streamId":"s"}', { type: 'streamEnd', streamId: 's' }],
    [
      '{"type":"streamEnd","streamId":"s","error":{"message":"m","userErrorCode":"E1"}}',
      { type: 'streamEnd', streamId: 's', error: { message: 'm', userErrorCode: 'E1' } },
    ],
    [
      '{"type":"streamEnd","streamId":"s","error":{"message":5}}',
      { type: 'streamInvalid', streamId: 's', reason: '"error" must be an object with string "message" and "userErrorCode"' },
    ],
    ['{"type":"setGroupState","group":"g","ackId":1,"state":{"mood":"ok"}}', { type: 'setGroupState', group: 'g', ackId: 1, state: { mood: 'ok' } }],
    ['{"type":"setGroupState","group":"g","ackId":1}', { type: 'setGroupState', group: 'g', ackId: 1, state: undefined }],
    ['{"type":"setGroupState","group":"g","ackId":1,"state":{"n":1}}', { invalid: '"state.n" must be a string', ackId: 1 }],
    ['{"type":"subscribeGroupState","group":"g","ackId":2}', { type: 'subscribeGroupState', group: 'g', ackId: 2 }],
    ['{"type":"unsubscribeGroupState","group":"g"}', { type: 'unsubscribeGroupState', group: 'g' }],
  ])('%s', (text, expected) => {
    expect(parseClientMessage(text)).toEqual(expected);
  });

  it('decodes the data types of the frames the JS SDK sends (docs/protocol/client-protocols.md §3.1)', () => {
    expect(parseClientMessage('{"type":"sendToGroup","group":"g","ackId":2,"dataType":"json","data":{"x":1},"noEcho":true}')).toEqual({
      type: 'sendToGroup',
      group: 'g',
      ackId: 2,
      noEcho: true,
      message: { dataType: 'json', data: Buffer.from('{"x":1}') },
    });
    expect(parseClientMessage('{"type":"sendToGroup","group":"g","dataType":"binary","data":"AQI=","noEcho":false}')).toMatchObject({
      noEcho: false,
      message: { dataType: 'binary', data: Buffer.from([1, 2]) },
    });
    expect(parseClientMessage('{"type":"event","event":"evt","ackId":3,"dataType":"text","data":"text data"}')).toEqual({
      type: 'event',
      event: 'evt',
      ackId: 3,
      message: { dataType: 'text', data: Buffer.from('text data') },
    });
  });

  it.each([
    ['{not json', undefined],
    ['[1]', undefined],
    ['{"group":"g"}', undefined],
    ['{"type":"joinGroup","ackId":-1}', undefined],
    ['{"type":"joinGroup","ackId":1.5,"group":"g"}', undefined],
    ['{"type":"sequenceAck","sequenceId":"2"}', undefined],
    ['{"type":"joinGroup","ackId":7}', 7],
    ['{"type":"joinGroup","group":"   ","ackId":7}', 7],
    ['{"type":"sendToGroup","group":"g","dataType":"binary","data":"not base64!","ackId":8}', 8],
    ['{"type":"sendToGroup","group":"g","dataType":"text","data":5,"ackId":8}', 8],
    ['{"type":"sendToGroup","group":"g","dataType":"protobuf","data":"AA==","ackId":8}', 8],
    ['{"type":"sendToGroup","group":"g","dataType":"xml","data":"x","ackId":8}', 8],
    ['{"type":"sendToGroup","group":"g","noEcho":"yes","data":1,"ackId":8}', 8],
    ['{"type":"event","data":1,"ackId":9}', 9],
  ])('reports %s as invalid (ackId %s)', (text, ackId) => {
    const parsed = parseClientMessage(text);
    expect(parsed).toHaveProperty('invalid');
    expect((parsed as { ackId?: number }).ackId).toBe(ackId);
  });
});

describe('decodeData', () => {
  it('defaults to json', () => {
    expect(decodeData(undefined, [1, 'a'])).toEqual({ dataType: 'json', data: Buffer.from('[1,"a"]') });
  });
  it('requires data for json', () => {
    expect(decodeData('json', undefined)).toHaveProperty('invalid');
  });
});

describe('service frames', () => {
  it('encodes acks', () => {
    expect(JSON.parse(encodeAck(1))).toEqual({ type: 'ack', ackId: 1, success: true });
    expect(JSON.parse(encodeAck(2, { name: 'Forbidden', message: 'no' }))).toEqual({
      type: 'ack',
      ackId: 2,
      success: false,
      error: { name: 'Forbidden', message: 'no' },
    });
  });

  it('encodes system frames; reconnectionToken only when given, userId null when anonymous', () => {
    expect(JSON.parse(encodeConnected('c', null))).toEqual({ type: 'system', event: 'connected', userId: null, connectionId: 'c' });
    expect(JSON.parse(encodeConnected('c', 'u', 't'))).toEqual({ type: 'system', event: 'connected', userId: 'u', connectionId: 'c', reconnectionToken: 't' });
    expect(JSON.parse(encodeDisconnected('bye'))).toEqual({ type: 'system', event: 'disconnected', message: 'bye' });
  });

  it.each([
    [{ from: 'server' }, { dataType: 'text', data: Buffer.from('hi "x"') }, { type: 'message', from: 'server', dataType: 'text', data: 'hi "x"' }],
    [{ from: 'server' }, { dataType: 'json', data: Buffer.from('"Hello World"') }, { type: 'message', from: 'server', dataType: 'json', data: 'Hello World' }],
    [{ from: 'server' }, { dataType: 'json', data: Buffer.from('{bad') }, { type: 'message', from: 'server', dataType: 'text', data: '{bad' }],
    [
      { from: 'group', group: 'g' },
      { dataType: 'binary', data: Buffer.from([1, 2]) },
      { type: 'message', from: 'group', group: 'g', dataType: 'binary', data: 'AQI=' },
    ],
    [
      { from: 'group', group: 'g', fromUserId: 'a' },
      { dataType: 'json', data: Buffer.from('{"x":[1]}') },
      { type: 'message', from: 'group', group: 'g', fromUserId: 'a', dataType: 'json', data: { x: [1] } },
    ],
    [
      { from: 'group', group: 'g', fromUserId: null },
      { dataType: 'text', data: Buffer.from('t') },
      { type: 'message', from: 'group', group: 'g', dataType: 'text', data: 't' },
    ],
  ] as const)('envelope for %j %j', (source, message, expected) => {
    expect(JSON.parse(encodeMessageEnvelope(source, message))).toEqual(expected);
  });

  it('puts sequenceId first for reliable receivers', () => {
    const frame = withSequenceId(encodeMessageEnvelope({ from: 'server' }, { dataType: 'text', data: Buffer.from('a') }), 3);
    expect(frame.startsWith('{"sequenceId":3,"type":"message"')).toBe(true);
    expect(JSON.parse(frame)).toEqual({ sequenceId: 3, type: 'message', from: 'server', dataType: 'text', data: 'a' });
  });
});
