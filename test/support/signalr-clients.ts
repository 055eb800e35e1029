import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { SignJWT } from 'jose';

/** Helpers for tests that drive the SignalR emulator with the official client. */

export const TEST_KEY = 'signalr-test-access-key-0123456789abcdef';

export async function clientToken(endpoint: string, hub: string, userId: string | undefined, key = TEST_KEY, lifetimeSeconds = 600): Promise<string> {
  return new SignJWT({ ...(userId !== undefined ? { nameid: userId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(`${endpoint}/client/?hub=${hub}`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .sign(new TextEncoder().encode(key));
}

export async function restToken(url: string, key = TEST_KEY): Promise<string> {
  const u = new URL(url);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(`${u.origin}${u.pathname}`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(new TextEncoder().encode(key));
}

/** A REST call signed like the Management SDK does. */
export async function restCall(method: string, url: string, body?: unknown, key = TEST_KEY): Promise<Response> {
  return fetch(url, {
    method,
    headers: { Authorization: `Bearer ${await restToken(url, key)}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export type ProtocolName = 'json' | 'messagepack';
export const TRANSPORTS = {
  WebSockets: signalR.HttpTransportType.WebSockets,
  ServerSentEvents: signalR.HttpTransportType.ServerSentEvents,
  LongPolling: signalR.HttpTransportType.LongPolling,
} as const;
export type TransportName = keyof typeof TRANSPORTS;

/** A connection straight to the emulator's client endpoint (what negotiate's redirect leads to). */
export function directConnection(url: string, token: string, transport: TransportName, protocol: ProtocolName): signalR.HubConnection {
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(url, { transport: TRANSPORTS[transport], accessTokenFactory: () => token })
    .configureLogging(signalR.LogLevel.None);
  if (protocol === 'messagepack') builder.withHubProtocol(new MessagePackHubProtocol());
  return builder.build();
}

/** Resolves with the next `target` invocation's arguments. */
export function nextMessage(conn: signalR.HubConnection, target: string, timeoutMs = 10_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${target}" within ${timeoutMs} ms`)), timeoutMs);
    const handler = (...args: unknown[]): void => {
      clearTimeout(timer);
      conn.off(target, handler);
      resolve(args);
    };
    conn.on(target, handler);
  });
}
