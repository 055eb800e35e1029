import { connackCode, connackCodeForStatus, isConnackRefusal } from '../../../../emulator/mqtt/reason-codes';

describe('MQTT reason codes', () => {
  it('gives each refusal its 5.0 reason code and its 3.1.1 return code', () => {
    expect(connackCode('client-id-not-valid', 5)).toBe(0x85);
    expect(connackCode('client-id-not-valid', 4)).toBe(2);
    expect(connackCode('not-authorized', 5)).toBe(0x87);
    expect(connackCode('not-authorized', 4)).toBe(5);
    expect(connackCode('unsupported-protocol-version', 4)).toBe(1);
  });

  it('maps a failed connect status as @azure/web-pubsub-express does', () => {
    expect([400, 401, 403, 500, 503].map((s) => connackCodeForStatus(s, 5))).toEqual([0x86, 0x87, 0x80, 0x80, 0x80]);
    expect([400, 401, 403, 500].map((s) => connackCodeForStatus(s, 4))).toEqual([4, 5, 3, 3]);
  });

  it('accepts only refusal codes of the client version', () => {
    expect(isConnackRefusal(5, 4)).toBe(true);
    expect(isConnackRefusal(0x87, 4)).toBe(false);
    expect(isConnackRefusal(0x87, 5)).toBe(true);
    expect(isConnackRefusal(0, 5)).toBe(false);
    expect(isConnackRefusal('5', 4)).toBe(false);
  });
});
