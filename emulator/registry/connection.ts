import type { FilterTarget } from '../core/types';
import type { PermissionSet } from '../auth/permissions';
import type { ClientKind } from '../client/client-kind';
import type { SimpleMode } from '../client/handshake';
import { ReliableBuffer, type ReliableLimits } from '../client/reliable';
import type { Transport } from '../client/transport';
import type { EventConnection } from '../upstream/cloud-event-request';
import type { EncodedMessage } from './encoded-message';

/** The MQTT session of an MQTT connection (emulator/mqtt): it encodes and queues what it is sent. */
export interface MqttLink {
  /** The network connection now attached (cloud-events: `ce-physicalConnectionId`), if any. */
  readonly physicalConnectionId: string | undefined;
  /** `ce-sessionId`. */
  readonly sessionId: string;
  deliver(encoded: EncodedMessage): void;
}

/**
 * The service-side state of one client connection. For reliable clients it outlives its transport
 * (docs/protocol/client-protocols.md §4.2): groups, permissions, ackIds, state and unacked frames survive a drop.
 */
const NO_GROUPS: ReadonlySet<string> = new Set<string>();

export class Connection implements FilterTarget {
  /** Created on the first join: many connections never join a group (HubState keeps both sides in step). */
  #groups: Set<string> | undefined;
  /**
   * docs/protocol/client-protocols.md §3.1: only successfully processed ackIds are remembered. Created on the first
   * acked message: most connections never send one, and an eager Set per connection cost memory and
   * allocation time in a connect storm.
   */
  processedAckIds: Set<number> | undefined;
  readonly reliable: ReliableBuffer | undefined;
  transport: Transport | null = null;
  /** docs/protocol/cloud-events.md §8. */
  state = '';
  /** Set for MQTT connections: delivery goes through the MQTT session. */
  mqtt: MqttLink | undefined;
  /** True once the connection has ended for good (no recovery). */
  ended = false;
  /** docs/protocol/cloud-events.md §3: ce-id unique per connection; the connect event used 0. */
  private nextCeId = 1;
  #eventConnection: EventConnection | undefined;

  constructor(
    readonly connectionId: string,
    /** Hub name as sent in `ce-hub`; the registry keys it case-insensitively. */
    readonly hub: string,
    readonly userId: string | null,
    /** The selected subprotocol, or null (FilterTarget). */
    readonly protocol: string | null,
    readonly kind: ClientKind,
    public permissions: PermissionSet,
    readonly mode: SimpleMode,
    readonly reconnectionToken: string | undefined,
    reliableLimits?: ReliableLimits,
  ) {
    this.reliable = kind === 'reliable' ? new ReliableBuffer(reliableLimits) : undefined;
  }

  get groups(): ReadonlySet<string> {
    return this.#groups ?? NO_GROUPS;
  }

  /** False when already a member. Only HubState calls this, so the group index stays in step. */
  addGroup(group: string): boolean {
    const groups = (this.#groups ??= new Set());
    if (groups.has(group)) return false;
    groups.add(group);
    return true;
  }

  /** False when not a member. */
  removeGroup(group: string): boolean {
    return this.#groups?.delete(group) ?? false;
  }

  clearGroups(): void {
    this.#groups = undefined;
  }

  takeCeId(): string {
    return String(this.nextCeId++);
  }

  /**
   * The headers' view of this connection (docs/protocol/cloud-events.md §3). The same frozen object until a
   * field it shows changes, so the dispatcher can keep the connection's upstream headers (and their
   * signature) per object (upstream/connection-header-cache.ts).
   */
  eventConnection(): EventConnection {
    const memo = this.#eventConnection;
    const mqtt = this.mqtt;
    if (memo !== undefined && memo.state === this.state && memo.sessionId === mqtt?.sessionId && memo.physicalConnectionId === mqtt?.physicalConnectionId) {
      return memo;
    }
    const base = { hub: this.hub, connectionId: this.connectionId, userId: this.userId, subprotocol: this.protocol, state: this.state };
    const view: EventConnection = !mqtt
      ? base
      : {
          ...base,
          sessionId: mqtt.sessionId,
          ...(mqtt.physicalConnectionId !== undefined ? { physicalConnectionId: mqtt.physicalConnectionId } : {}),
        };
    this.#eventConnection = Object.freeze(view);
    return view;
  }
}
