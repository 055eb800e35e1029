/**
 * The connection state the page shows. `@azure/web-pubsub-client` (1.0.4 and 1.1.0) raises `connected`,
 * `disconnected` and `stopped` but nothing when it starts or finishes *recovering* a dropped reliable
 * connection (docs/protocol/sdk-notes.md §2), so the page also samples the client's private `_state`
 * ('Connecting' | 'Connected' | 'Recovering' | 'Disconnected' | 'Stopped'). That field is an internal of
 * the SDK (1.0.4 and 1.1.0) — if it disappears, the page still shows everything except the "recovering" phase.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'recovering' | 'recovered' | 'reconnecting' | 'reconnected' | 'disconnected';

export type ConnectionSignal =
  | { readonly kind: 'start' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'stopped' }
  /** A sample of the SDK's internal state. */
  | { readonly kind: 'sdk-state'; readonly state: string | undefined };

export function nextConnectionState(current: ConnectionState, signal: ConnectionSignal): ConnectionState {
  switch (signal.kind) {
    case 'start':
      return 'connecting';
    case 'connected':
      // A `connected` event after a drop is a brand-new connection (recovery raises no event).
      return current === 'reconnecting' || current === 'recovering' ? 'reconnected' : 'connected';
    case 'disconnected':
      // With autoReconnect the SDK now opens a new connection, unless it is stopping.
      return current === 'idle' || current === 'disconnected' ? current : 'reconnecting';
    case 'stopped':
      return 'disconnected';
    case 'sdk-state':
      if (signal.state === 'Recovering' && isUp(current)) return 'recovering';
      if (signal.state === 'Connected' && current === 'recovering') return 'recovered';
      return current;
  }
}

function isUp(s: ConnectionState): boolean {
  return s === 'connected' || s === 'recovered' || s === 'reconnected';
}

export const stateLabels: Readonly<Record<ConnectionState, string>> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  recovering: 'Connection dropped – recovering…',
  recovered: 'Recovered',
  reconnecting: 'Reconnecting…',
  reconnected: 'Reconnected',
  disconnected: 'Disconnected',
};
