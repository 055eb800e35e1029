import * as codes from '../../../../emulator/client/close-codes';

describe('close codes', () => {
  it('are the RFC 6455 §7.4.1 numbers the service and the client SDK use', () => {
    expect({
      NORMAL_CLOSURE: codes.NORMAL_CLOSURE,
      UNSUPPORTED_DATA: codes.UNSUPPORTED_DATA,
      NO_STATUS_RECEIVED: codes.NO_STATUS_RECEIVED,
      INVALID_FRAME_PAYLOAD: codes.INVALID_FRAME_PAYLOAD,
      POLICY_VIOLATION: codes.POLICY_VIOLATION,
      MESSAGE_TOO_BIG: codes.MESSAGE_TOO_BIG,
      INTERNAL_ERROR: codes.INTERNAL_ERROR,
    }).toEqual({
      NORMAL_CLOSURE: 1000,
      UNSUPPORTED_DATA: 1003,
      NO_STATUS_RECEIVED: 1005,
      INVALID_FRAME_PAYLOAD: 1007,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      INTERNAL_ERROR: 1011,
    });
  });

  it('only a normal close or a close without a code is deliberate', () => {
    expect([1000, 1005].map(codes.isDeliberateClose)).toEqual([true, true]);
    expect([1001, 1006, 1008, 1011, 4000].map(codes.isDeliberateClose)).toEqual([false, false, false, false, false]);
  });
});
