import { failMqtt } from '../../../../shared/hub/hub-definition';
import {
  isMqttConnectRefusalCode,
  MqttConnectRefusal,
  statusForMqttConnectCode,
  toMqttConnectRefusalReply,
} from '../../../../shared/upstream/mqtt-connect-refusal';

describe('MQTT connect refusals', () => {
  it('maps CONNACK codes to the HTTP status @azure/web-pubsub-express uses', () => {
    expect([1, 2, 3, 4, 5].map(statusForMqttConnectCode)).toEqual([400, 400, 503, 401, 401]);
    expect([0x87, 0x86, 0x85, 0x97, 0x8a, 0x88, 0x80].map(statusForMqttConnectCode)).toEqual([401, 401, 400, 429, 403, 500, 500]);
  });

  it('answers JSON with the code, reason and user properties', () => {
    const reply = toMqttConnectRefusalReply(new MqttConnectRefusal(0x8a, 'banned', [{ name: 'k', value: 'v' }]));
    expect(reply.status).toBe(403);
    expect(JSON.parse(String(reply.body))).toEqual({ mqtt: { code: 0x8a, reason: 'banned', userProperties: [{ name: 'k', value: 'v' }] } });
  });

  it('accepts only refusal codes from a hub', () => {
    expect(isMqttConnectRefusalCode(0)).toBe(false);
    expect(isMqttConnectRefusalCode(6)).toBe(false);
    expect(isMqttConnectRefusalCode(0x87)).toBe(true);
    expect(() => failMqtt(0, 'x')).toThrow(/not an MQTT CONNACK refusal code/);
    expect(() => failMqtt(0x87, 'no')).toThrow(MqttConnectRefusal);
  });
});
