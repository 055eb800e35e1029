import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { createRestHandler } from '../../emulator/rest/index';
import { chatHub } from '../../shared/chat/hub';
import { PRESENCE_GROUP } from '../../shared/chat/message';
import { dispatchEvent } from '../../shared/upstream/hub-dispatch';
import { defineHub, type HubDefinition } from '../../shared/hub/hub-definition';
import type { GroupMember, HubService } from '../../shared/hub/hub-service';
import { createHubService } from '../../shared/hub/service-client';
import { FakeServiceOps } from './fake-service-ops';

/**
 * What one chat connect costs in presence traffic when `members` connections are already online: the
 * REST calls the app makes (counted at the service's REST edge, the emulator's handler, driven by the
 * official SDK over real HTTP) and the frames each side receives. Shared by the unit test
 * (test/unit/shared/chat/presence.test.ts) and the bench (`npm run bench -- --only presence`).
 */

const KEY = 'presence-cost-key-0123456789-0123456789';
const NEWCOMER = 'newcomer-connection';

export interface ConnectCost {
  readonly members: number;
  /** REST requests by kind: send-all, add-to-group, list-group, send-connection, … */
  readonly rest: Readonly<Record<string, number>>;
  readonly restCalls: number;
  readonly listCalls: number;
  /** REST calls other than the snapshot's listing and snapshot frames. */
  readonly fixedRestCalls: number;
  /** Frames each member already online received (min and max over members). */
  readonly framesPerMember: { readonly min: number; readonly max: number };
  readonly framesToNewcomer: number;
  /** Users named in the newcomer's roster frames. */
  readonly rosterUsers: number;
  /** Bytes delivered to everyone. */
  readonly bytesDelivered: number;
}

/**
 * The chat hub before issue 11: joined to everyone (the newcomer included), then one listing capped at
 * 1,000 members with the SDK's default page size (100), then one full roster frame.
 */
export function fullRosterHub(listWithDefaults: (group: string) => Promise<GroupMember[]>): HubDefinition {
  return defineHub({
    name: 'chat',
    async onConnected(_request, { connection, service }) {
      const userId = connection.userId!;
      await service.sendToAll({ system: 'joined', userId });
      await service.addConnectionToGroup(PRESENCE_GROUP, connection.connectionId);
      const members = await listWithDefaults(PRESENCE_GROUP);
      const users = [...new Set(members.map((m) => m.userId).filter((u): u is string => !!u))].sort();
      await service.sendToConnection(connection.connectionId, { system: 'roster', users });
    },
  });
}

function kindOf(method: string, path: string): string {
  if (method === 'GET' && /\/groups\/[^/]+\/connections$/.test(path)) return 'list-group';
  if (method === 'PUT' && /\/groups\/[^/]+\/connections\//.test(path)) return 'add-to-group';
  if (/\/connections\/[^/]+\/:send$/.test(path)) return 'send-connection';
  if (/\/hubs\/[^/]+\/:send$/.test(path)) return 'send-all';
  return `${method} ${path}`;
}

export type Approach = 'delta' | 'full-roster';

/** The emulator's REST handler over `ops` on a free port, counting requests by kind, and the hub to drive. */
async function serviceOver(ops: FakeServiceOps, approach: Approach) {
  const rest: Record<string, number> = {};
  const handle = createRestHandler({ ops, keys: [KEY] });
  const server = http.createServer((req, res) => {
    const kind = kindOf(req.method ?? 'GET', (req.url ?? '').split('?')[0]!);
    rest[kind] = (rest[kind] ?? 0) + 1;
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = new WebPubSubServiceClient(`Endpoint=http://127.0.0.1;Port=${port};AccessKey=${KEY};Version=1.0;`, 'chat', {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  const service: HubService = createHubService(client, `http://127.0.0.1:${port}`, 60_000);
  const hub =
    approach === 'delta'
      ? chatHub
      : fullRosterHub(async (group) => {
          const out: GroupMember[] = [];
          for await (const m of await client.group(group).listConnections({ top: 1000 }))
            out.push(m.userId ? { connectionId: m.connectionId, userId: m.userId } : { connectionId: m.connectionId });
          return out;
        });
  const log = {
    info: () => {},
    warn: (m: string) => {
      throw new Error(m);
    },
    error: () => {},
  };
  const connected = (connectionId: string, userId: string) =>
    dispatchEvent(
      { kind: 'connected', request: { context: { hub: 'chat', connectionId, eventName: 'connected', userId, origin: 'localhost', states: {} } } },
      hub,
      service,
      log,
    );
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { rest, connected, close };
}

export interface StormCost {
  readonly connects: number;
  readonly restCalls: number;
  readonly listCalls: number;
  readonly frames: number;
  /** Users in the last newcomer's snapshot (complete = `connects`). */
  readonly lastRosterUsers: number;
}

/** `connects` users arrive one after another (the red team's experiment): totals over all of them. */
export async function measurePresenceStorm(connects: number, approach: Approach = 'delta'): Promise<StormCost> {
  const ops = new FakeServiceOps();
  const { rest, connected, close } = await serviceOver(ops, approach);
  let lastRosterUsers = 0;
  try {
    for (let i = 0; i < connects; i++) {
      const id = `c-${i}`;
      ops.connect('chat', id, { userId: `user-${String(i).padStart(6, '0')}` });
      const before = ops.deliveries.length;
      await connected(id, `user-${String(i).padStart(6, '0')}`);
      if (i === connects - 1) {
        lastRosterUsers = ops.deliveries
          .slice(before)
          .filter((d) => d.connectionId === id)
          .map((d) => JSON.parse(d.message.data.toString('utf8')) as { system?: string; users?: string[] })
          .reduce((n, m) => n + (m.system === 'roster' ? (m.users?.length ?? 0) : 0), 0);
      }
    }
  } finally {
    await close();
  }
  return {
    connects,
    restCalls: Object.values(rest).reduce((a, b) => a + b, 0),
    listCalls: rest['list-group'] ?? 0,
    frames: ops.deliveries.length,
    lastRosterUsers,
  };
}

export async function measurePresenceConnect(members: number, approach: Approach = 'delta'): Promise<ConnectCost> {
  const ops = new FakeServiceOps();
  for (let i = 0; i < members; i++) ops.connect('chat', `member-${i}`, { userId: `user-${String(i).padStart(6, '0')}`, groups: [PRESENCE_GROUP] });
  ops.connect('chat', NEWCOMER, { userId: 'newcomer' });
  const { rest, connected, close } = await serviceOver(ops, approach);
  try {
    ops.deliveries.length = 0;
    await connected(NEWCOMER, 'newcomer');

    const perConnection = new Map<string, number>();
    let bytes = 0;
    let rosterUsers = 0;
    for (const d of ops.deliveries) {
      perConnection.set(d.connectionId, (perConnection.get(d.connectionId) ?? 0) + 1);
      const payload = d.message.data;
      bytes += payload.byteLength;
      if (d.connectionId === NEWCOMER) {
        const parsed = JSON.parse(payload.toString('utf8')) as { system?: string; users?: string[] };
        if (parsed.system === 'roster') rosterUsers += parsed.users?.length ?? 0;
      }
    }
    const memberCounts = [...Array(members).keys()].map((i) => perConnection.get(`member-${i}`) ?? 0);
    const restCalls = Object.values(rest).reduce((a, b) => a + b, 0);
    const listCalls = rest['list-group'] ?? 0;
    return {
      members,
      rest,
      restCalls,
      listCalls,
      fixedRestCalls: restCalls - listCalls - (rest['send-connection'] ?? 0),
      framesPerMember: { min: Math.min(...memberCounts, Infinity), max: Math.max(...memberCounts, 0) },
      framesToNewcomer: perConnection.get(NEWCOMER) ?? 0,
      rosterUsers,
      bytesDelivered: bytes,
    };
  } finally {
    await close();
  }
}
