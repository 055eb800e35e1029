import * as signalR from '@microsoft/signalr';
import { startSignalREmulator, type RunningSignalREmulator } from '../../../emulator/signalr/signalr-server';
import { clientToken, nextMessage, restCall, TEST_KEY } from '../../support/signalr-clients';

/**
 * Reconnection as users rely on it: when the service goes away (a restart), it tells clients they may
 * reconnect; withAutomaticReconnect negotiates again and gets a new connection once the service is back.
 */

const running: RunningSignalREmulator[] = [];
afterAll(async () => {
  await Promise.all(running.map((e) => e.close()));
});

it('reconnects after a service restart on the same port, with a new connection id', async () => {
  const first = await startSignalREmulator({ port: 0, keys: [TEST_KEY] });
  running.push(first);
  const endpoint = first.endpoint;
  const token = await clientToken(endpoint, 'chat', 'ann');
  const conn = new signalR.HubConnectionBuilder()
    .withUrl(`${endpoint}/client/?hub=chat`, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
    .withAutomaticReconnect([0, 200, 400, 800, 1600, 3200])
    .configureLogging(signalR.LogLevel.None)
    .build();
  await conn.start();
  const firstId = conn.connectionId;
  const reconnecting = new Promise<void>((r) => conn.onreconnecting(() => r()));
  const reconnected = new Promise<string | undefined>((r) => conn.onreconnected((id) => r(id)));
  await first.close();
  await reconnecting;
  const second = await startSignalREmulator({ port: first.port, keys: [TEST_KEY] });
  running.push(second);
  const newId = await reconnected;
  expect(newId).toBeTruthy();
  expect(newId).not.toBe(firstId);
  expect(conn.state).toBe(signalR.HubConnectionState.Connected);
  const got = nextMessage(conn, 'after');
  expect((await restCall('POST', `${endpoint}/api/hubs/chat/:send?api-version=2022-06-01`, { target: 'after', arguments: ['restart'] })).status).toBe(202);
  expect(await got).toEqual(['restart']);
  await conn.stop();
}, 30_000);

it('does not reconnect when the service closes the connection on purpose', async () => {
  const emu = await startSignalREmulator({ port: 0, keys: [TEST_KEY] });
  running.push(emu);
  const token = await clientToken(emu.endpoint, 'chat', 'ann');
  const conn = new signalR.HubConnectionBuilder()
    .withUrl(`${emu.endpoint}/client/?hub=chat`, { accessTokenFactory: () => token })
    .withAutomaticReconnect([0])
    .configureLogging(signalR.LogLevel.None)
    .build();
  await conn.start();
  let reconnecting = false;
  conn.onreconnecting(() => (reconnecting = true));
  const closed = new Promise<Error | undefined>((r) => conn.onclose((e) => r(e)));
  expect((await restCall('DELETE', `${emu.endpoint}/api/hubs/chat/connections/${conn.connectionId}?api-version=2022-06-01&reason=kicked`)).status).toBe(200);
  expect((await closed)?.message).toContain('kicked');
  expect(reconnecting).toBe(false);
});
