import { dataTypeOfContentType, fromMqttPublish, publishPropertiesFor } from '../../../../emulator/mqtt/message-conversion';

describe('MQTT ↔ Web PubSub message conversion', () => {
  it('maps the 5.0 content type to the data type; absent or 3.1.1 is binary', () => {
    expect(dataTypeOfContentType('application/json')).toBe('json');
    expect(dataTypeOfContentType('Text/Plain; charset=utf-8')).toBe('text');
    expect(dataTypeOfContentType('application/octet-stream')).toBe('binary');
    expect(dataTypeOfContentType('application/x-protobuf')).toBe('binary');
    expect(dataTypeOfContentType(undefined)).toBe('binary');
    expect(fromMqttPublish(Buffer.from('{"a":1}'), 4, 'application/json')).toEqual({ ok: true, message: { dataType: 'binary', data: Buffer.from('{"a":1}') } });
  });

  it('keeps the payload bytes and refuses JSON that does not parse', () => {
    expect(fromMqttPublish(Buffer.from('{"a":1}'), 5, 'application/json')).toEqual({ ok: true, message: { dataType: 'json', data: Buffer.from('{"a":1}') } });
    expect(fromMqttPublish(Buffer.from('{oops'), 5, 'application/json').ok).toBe(false);
  });

  it('tells 5.0 receivers the data type with content type and payload format indicator', () => {
    expect(publishPropertiesFor('json')).toEqual({ contentType: 'application/json', payloadFormatIndicator: true });
    expect(publishPropertiesFor('text')).toEqual({ contentType: 'text/plain', payloadFormatIndicator: true });
    expect(publishPropertiesFor('binary')).toEqual({ contentType: 'application/octet-stream', payloadFormatIndicator: false });
  });
});
