import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { issueReconnectionToken } from '../../../../emulator/auth/reconnection-token';
import { NORMAL_CLOSURE, POLICY_VIOLATION } from '../../../../emulator/client/close-codes';
import { Connection } from '../../../../emulator/registry/connection';
import { RecoveryWindow } from '../../../../emulator/registry/recovery-window';
import { Registry, type EndOptions } from '../../../../emulator/registry/registry';
import { FakeTransport } from '../../../support/fake-transport';

const KEY = 'unit-key-0123456789-0123456789-0123';

function reliableConnection(id = 'c1'): Connection {
  return new Connection(
    id,
    'chat',
    'u',
    'json.reliable.webpubsub.azure.v1',
    'reliable',
    permissionsFromRoles([]),
    { name: 'sendEvent' },
    issueReconnectionToken(id, KEY),
  );
}

describe('RecoveryWindow', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('expires once after the window when nobody cancels it', () => {
    const expired: string[] = [];
    const window = new RecoveryWindow(30_000, (c) => expired.push(c.connectionId));
    const conn = reliableConnection();
    window.open(conn);
    expect(window.isOpen(conn)).toBe(true);
    jest.advanceTimersByTime(29_999);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['c1']);
    expect(window.isOpen(conn)).toBe(false);
    jest.advanceTimersByTime(60_000);
    expect(expired).toEqual(['c1']);
  });

  it('a cancelled window never expires', () => {
    const expired: string[] = [];
    const window = new RecoveryWindow(1000, (c) => expired.push(c.connectionId));
    const conn = reliableConnection();
    window.open(conn);
    window.cancel(conn);
    jest.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
  });

  it('reopening restarts the window instead of adding a second timer', () => {
    const expired: string[] = [];
    const window = new RecoveryWindow(1000, (c) => expired.push(c.connectionId));
    const conn = reliableConnection();
    window.open(conn);
    jest.advanceTimersByTime(800);
    window.open(conn);
    jest.advanceTimersByTime(800);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(200);
    expect(expired).toEqual(['c1']);
  });

  it('cancelAll stops every window', () => {
    const expired: string[] = [];
    const window = new RecoveryWindow(1000, (c) => expired.push(c.connectionId));
    window.open(reliableConnection('a'));
    window.open(reliableConnection('b'));
    window.cancelAll();
    jest.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
  });
});

describe('Registry and the recovery window', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup() {
    const ended: EndOptions[] = [];
    const registry = new Registry({ keys: [KEY], onEnded: (_c, end) => ended.push(end), recoveryWindowMs: 1000 });
    const conn = reliableConnection();
    conn.transport = new FakeTransport();
    registry.add(conn, ['g']);
    return { registry, conn, ended };
  }

  it('a dropped connection ends with POLICY_VIOLATION when the window runs out', () => {
    const { registry, conn, ended } = setup();
    registry.dropped(conn);
    expect(conn.transport).toBeNull();
    expect(registry.awaitingRecovery(conn)).toBe(true);
    expect(registry.groupExists('chat', 'g')).toBe(true);
    jest.advanceTimersByTime(1000);
    expect(ended).toEqual([{ code: POLICY_VIOLATION, reason: 'the connection was not recovered in time' }]);
    expect(registry.connectionExists('chat', 'c1')).toBe(false);
  });

  it('a recovery closes the window: the connection does not end later', () => {
    const { registry, conn, ended } = setup();
    registry.dropped(conn);
    const next = new FakeTransport();
    expect(registry.recover('chat', 'c1', conn.reconnectionToken!, next)).toBe(true);
    expect(registry.awaitingRecovery(conn)).toBe(false);
    jest.advanceTimersByTime(5000);
    expect(ended).toEqual([]);
    expect(conn.transport).toBe(next);
  });

  it('ending a dropped connection (REST close) closes its window: it is reported once', () => {
    const { registry, conn, ended } = setup();
    registry.dropped(conn);
    registry.closeConnection('chat', 'c1', 'bye');
    jest.advanceTimersByTime(5000);
    expect(ended).toEqual([{ code: NORMAL_CLOSURE, reason: 'bye', notifyClient: true }]);
    expect(registry.awaitingRecovery(conn)).toBe(false);
  });
});
