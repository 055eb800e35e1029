import { nextConnectionState, type ConnectionSignal, type ConnectionState } from '../../../web/connection-state';

function run(signals: ConnectionSignal[], from: ConnectionState = 'idle'): ConnectionState[] {
  const seen: ConnectionState[] = [];
  let s = from;
  for (const signal of signals) seen.push((s = nextConnectionState(s, signal)));
  return seen;
}

describe('nextConnectionState', () => {
  it('connects', () => {
    expect(run([{ kind: 'start' }, { kind: 'connected' }])).toEqual(['connecting', 'connected']);
  });

  it('shows a recovery seen only through the SDK state', () => {
    expect(
      run(
        [
          { kind: 'sdk-state', state: 'Recovering' },
          { kind: 'sdk-state', state: 'Recovering' },
          { kind: 'sdk-state', state: 'Connected' },
        ],
        'connected',
      ),
    ).toEqual(['recovering', 'recovering', 'recovered']);
  });

  it('shows a reconnect after a drop that could not be recovered', () => {
    expect(run([{ kind: 'sdk-state', state: 'Recovering' }, { kind: 'disconnected' }, { kind: 'connected' }], 'connected')).toEqual([
      'recovering',
      'reconnecting',
      'reconnected',
    ]);
  });

  it('ends disconnected when the client stops', () => {
    expect(run([{ kind: 'disconnected' }, { kind: 'stopped' }], 'connected')).toEqual(['reconnecting', 'disconnected']);
  });

  it('ignores SDK samples that do not change what the page shows', () => {
    expect(
      run(
        [
          { kind: 'sdk-state', state: 'Connected' },
          { kind: 'sdk-state', state: undefined },
        ],
        'connected',
      ),
    ).toEqual(['connected', 'connected']);
    expect(run([{ kind: 'sdk-state', state: 'Recovering' }], 'connecting')).toEqual(['connecting']);
  });
});
