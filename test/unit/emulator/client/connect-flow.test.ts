import { socketCloseOutcome, socketCloseReason } from '../../../../emulator/client/connect-flow';

describe('what a socket close means (docs/protocol/client-protocols.md §4.2)', () => {
  it.each([
    ['reliable', 1006, false, 'keep-for-recovery'],
    ['reliable', 1001, false, 'keep-for-recovery'],
    ['reliable', 1000, false, 'end'],
    ['reliable', 1005, false, 'end'],
    ['reliable', 1006, true, 'end'],
    ['json', 1006, false, 'end'],
    ['simple', 1006, false, 'end'],
  ] as const)('%s closed with %i (protocol error: %s) → %s', (kind, code, protocolError, outcome) => {
    expect(socketCloseOutcome(kind, code, protocolError)).toBe(outcome);
  });

  it('names the close reason for the disconnected event', () => {
    expect(socketCloseReason(1000, '')).toBe('');
    expect(socketCloseReason(1005, '')).toBe('');
    expect(socketCloseReason(1006, '')).toBe('connection lost (code 1006)');
    expect(socketCloseReason(4001, 'bye')).toBe('bye');
  });
});
