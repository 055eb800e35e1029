import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  generate,
  parser as createParser,
  type IConnectPacket,
  type IDisconnectPacket,
  type IPublishPacket,
  type ISubscribePacket,
  type IUnsubscribePacket,
  type Packet,
} from 'mqtt-packet';
import type { WebSocket } from 'ws';
import type { TokenIdentity } from '../auth/client-token-verifier';
import { hasPermission, permissionsFromRoles } from '../auth/permissions';
import { NORMAL_CLOSURE } from '../client/close-codes';
import { MAX_CLIENT_GROUPS } from '../client/session';
import type { FlushScheduler, Transport } from '../client/transport';
import { WsTransport } from '../client/transport';
import type { ServiceHubSettings } from '../config';
import { logValue, type Log } from '../log';
import { Connection } from '../registry/connection';
import type { Registry } from '../registry/registry';
import { connectedEvent, connectEvent } from '../upstream/cloud-event-request';
import { applyConnectReply } from '../upstream/connect-reply';
import type { DispatchResult, EventDispatcher } from '../upstream/event-dispatcher';
import { checkConnect, sessionKeepMs } from './connect-rules';
import { fromMqttPublish } from './message-conversion';
import { MAX_RECEIVE_MAXIMUM, MqttSession, type PacketWriter } from './mqtt-session';
import { connackCode, V5, type MqttVersion } from './reason-codes';
import { isPublishableTopic, SERVER_MESSAGES_TOPIC, topicFilterProblem } from './topic-rules';
import {
  connectFailure,
  connectProperties,
  connectSuccessUserProperties,
  disconnectedProperties,
  fromUserPropertyList,
  type MqttDisconnectedProperties,
} from './upstream-properties';

/**
 * One MQTT network connection (a WebSocket with subprotocol `mqtt`): it waits for CONNECT, runs the
 * connect event, answers CONNACK, then handles the packets of the session it is attached to
 * ("MQTT in Azure Web PubSub": subscribe = join group, publish = send to group). Errors end here as
 * reason codes; nothing a client sends can throw out of this class.
 */

export interface MqttServices {
  readonly registry: Registry;
  readonly dispatcher: EventDispatcher;
  readonly hubSettings: (hub: string) => ServiceHubSettings;
  readonly log: Log;
  readonly scheduler: FlushScheduler;
}

/** What the upgrade request established before any MQTT packet. */
export interface MqttUpgradePlan {
  readonly hub: string;
  readonly identity: TokenIdentity;
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string[]>;
  readonly offered: readonly string[];
}

/** A client must send CONNECT this soon after the WebSocket opens. */
export const CONNECT_TIMEOUT_MS = 10_000;

type State = 'awaiting-connect' | 'connecting' | 'open' | 'closed';

export class MqttNetwork implements PacketWriter, Transport {
  readonly physicalConnectionId = randomUUID();
  private readonly transport: WsTransport;
  private readonly parser = createParser();
  private state: State = 'awaiting-connect';
  private version: MqttVersion = 4;
  private session: MqttSession | undefined;
  private will: IConnectPacket['will'];
  private keepAliveMs = 0;
  private lastPacketAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  /** QoS 2 packet ids received and not yet released (MQTT section 4.3.3: deliver once). */
  private readonly qos2Received = new Set<number>();
  /** A refused publish is logged once per network connection. */
  private warned = false;
  /** The DISCONNECT the client sent, or the reason code the service closed with. */
  private ending: { byClient: boolean; code: number; packet?: IDisconnectPacket } | undefined;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    private readonly plan: MqttUpgradePlan,
    private readonly services: MqttServices,
  ) {
    this.transport = new WsTransport(ws, socket, services.scheduler);
    this.parser.on('packet', (p: Packet) => this.onPacket(p));
    this.parser.on('error', (e: Error) => this.fail(V5.MalformedPacket, `malformed packet: ${e.message}`));
    ws.on('message', (data: Buffer) => {
      if (this.state === 'closed') return;
      this.lastPacketAt = Date.now();
      this.parser.parse(data);
    });
    ws.on('error', () => {});
    ws.on('close', () => this.onClosed());
    this.timer = setTimeout(() => {
      if (this.state === 'awaiting-connect') this.closeSocket('no CONNECT packet in time');
    }, CONNECT_TIMEOUT_MS);
    this.timer.unref();
  }

  // ---- Transport (the registry's view while attached) ----------------------------------------

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  /** The registry only sends through the session; raw frames are not part of MQTT. */
  send(): void {}

  /** The service ends the connection (REST close, shutdown): 5.0 gets a DISCONNECT first. */
  close(code: number, reason: string): void {
    const mqttCode = code === NORMAL_CLOSURE ? V5.AdministrativeAction : V5.UnspecifiedError;
    this.ending ??= { byClient: false, code: mqttCode };
    this.sendDisconnect(mqttCode, reason);
    this.closeSocket(reason);
  }

  terminate(): void {
    this.transport.terminate();
  }

  write(bytes: Buffer): void {
    this.transport.send(bytes, true);
  }

  // ---- packets ---------------------------------------------------------------------------------

  private onPacket(p: Packet): void {
    try {
      if (this.state === 'awaiting-connect') {
        if (p.cmd !== 'connect') return this.closeSocket('the first packet must be CONNECT');
        this.state = 'connecting';
        void this.connect(p).catch((e: unknown) => this.internalError(e));
        return;
      }
      if (this.state !== 'open') {
        // MQTT section 3.1.0: nothing but CONNECT before CONNACK; a client that does not wait is in error.
        if (this.state === 'connecting') this.closeSocket('a packet arrived before CONNACK');
        return;
      }
      switch (p.cmd) {
        case 'publish':
          return this.onPublish(p);
        case 'puback':
          if (p.messageId !== undefined) this.session?.acknowledge(p.messageId);
          return;
        case 'pubrel':
          if (p.messageId !== undefined) this.qos2Received.delete(p.messageId);
          return this.write(
            generate({ cmd: 'pubcomp', messageId: p.messageId, ...(this.version === 5 ? { reasonCode: 0 } : {}) }, { protocolVersion: this.version }),
          );
        case 'subscribe':
          return this.onSubscribe(p);
        case 'unsubscribe':
          return this.onUnsubscribe(p);
        case 'pingreq':
          return this.write(generate({ cmd: 'pingresp' }, { protocolVersion: this.version }));
        case 'disconnect':
          return this.onDisconnect(p);
        case 'connect':
          return this.fail(V5.ProtocolError, 'a second CONNECT packet');
        default:
          // pubrec/pubcomp: the service never publishes at QoS 2; auth: no enhanced authentication.
          return this.fail(V5.ProtocolError, `unexpected ${p.cmd} packet`);
      }
    } catch (e) {
      this.internalError(e);
    }
  }

  private async connect(packet: IConnectPacket): Promise<void> {
    const { registry, dispatcher, log } = this.services;
    const hub = this.services.hubSettings(this.plan.hub);
    const check = checkConnect(packet, () => randomUUID().replace(/-/g, ''));
    this.version = check.version;
    if (!check.ok) return this.refuse(connackCode(check.refusal, check.version), check.reason);
    const clientId = check.clientId;
    const existing = registry.hub(hub.name).connections.get(clientId);
    if (existing && existing.kind !== 'mqtt')
      return this.refuse(connackCode('client-id-not-valid', this.version), 'the client id is in use by another connection');

    let result: DispatchResult = { kind: 'no-handler' };
    if (dispatcher.hasHandler(hub, { kind: 'system', name: 'connect' })) {
      const event = connectEvent({
        claims: this.plan.identity.claims,
        query: this.plan.query,
        headers: this.plan.headers,
        subprotocols: this.plan.offered,
        mqtt: connectProperties(packet, this.version),
      });
      const eventConnection = {
        hub: hub.name,
        connectionId: clientId,
        userId: this.plan.identity.userId,
        subprotocol: 'mqtt',
        state: '',
        physicalConnectionId: this.physicalConnectionId,
      };
      result = await dispatcher.dispatch(hub, eventConnection, event, '0');
    }
    if (this.state !== 'connecting' || !this.transport.isOpen) return;
    const outcome = applyConnectReply(result, this.plan.identity);
    if (!outcome.ok) {
      const failure = connectFailure(result, this.version);
      return this.refuse(failure.code, failure.reason ?? outcome.message, failure.userProperties && fromUserPropertyList(failure.userProperties));
    }

    const keepMs = sessionKeepMs(this.version, packet.clean !== false, packet.properties?.sessionExpiryInterval);
    let session: MqttSession | undefined;
    let sessionPresent = false;
    const current = registry.hub(hub.name).connections.get(clientId);
    if (current?.mqtt instanceof MqttSession && !current.ended) {
      // MQTT section 3.1.4: a second connection with the same client id takes the session over.
      const old = current.mqtt;
      const oldNetwork = current.transport;
      if (oldNetwork instanceof MqttNetwork) oldNetwork.takenOver();
      const resumable = packet.clean === false && current.userId === outcome.userId;
      if (resumable) {
        session = old;
        sessionPresent = true;
        current.permissions = permissionsFromRoles(outcome.roles);
        for (const g of outcome.groups) registry.join(current, g);
      } else {
        registry.end(current, { code: NORMAL_CLOSURE, reason: 'the session was taken over', mqtt: disconnectedProperties(false, V5.SessionTakenOver) });
      }
    }
    const isNew = session === undefined;
    if (!session) {
      const conn = new Connection(clientId, hub.name, outcome.userId, 'mqtt', 'mqtt', permissionsFromRoles(outcome.roles), { name: 'sendEvent' }, undefined);
      if (outcome.state !== undefined) conn.state = outcome.state;
      session = new MqttSession(conn, this.version, randomUUID());
      conn.mqtt = session;
      conn.transport = this;
      registry.add(conn, outcome.groups);
    }
    session.keepMs = keepMs;
    // Flow control: the client's Receive Maximum of this network connection (MQTT 5.0 section 3.1.2.11.3).
    session.receiveMaximum = (this.version === 5 ? packet.properties?.receiveMaximum : undefined) ?? MAX_RECEIVE_MAXIMUM;
    session.attach(this, this.version);
    session.conn.transport = this;
    this.session = session;
    this.will = packet.will;
    this.state = 'open';
    this.startKeepAlive(packet.keepalive ?? 0);

    const userProperties = connectSuccessUserProperties(result);
    this.write(
      generate(
        {
          cmd: 'connack',
          sessionPresent,
          ...(this.version === 5
            ? {
                reasonCode: 0,
                properties: {
                  ...(check.assigned ? { assignedClientIdentifier: clientId } : {}),
                  retainAvailable: false,
                  wildcardSubscriptionAvailable: false,
                  sharedSubscriptionAvailable: false,
                  topicAliasMaximum: 0,
                  ...(userProperties ? { userProperties: fromUserPropertyList(userProperties)! } : {}),
                },
              }
            : { returnCode: 0 }),
        },
        { protocolVersion: this.version },
      ),
    );
    session.resume();
    log(
      `open hub=${hub.name} id=${clientId} user=${logValue(session.conn.userId)} protocol=mqtt v=${this.version === 5 ? '5.0' : '3.1.1'}${sessionPresent ? ' resumed' : ''}`,
      'traffic',
    );
    if (isNew && dispatcher.hasHandler(hub, { kind: 'system', name: 'connected' })) {
      dispatcher.dispatch(hub, session.conn.eventConnection(), connectedEvent(), session.conn.takeCeId()).catch((e: unknown) => {
        log(`upstream error: ${logValue(e instanceof Error ? e.message : String(e))}`);
      });
    }
  }

  private onPublish(p: IPublishPacket): void {
    const session = this.session!;
    const conn = session.conn;
    const qos = p.qos;
    if (this.version === 5 && p.properties?.topicAlias !== undefined) return this.fail(V5.TopicAliasInvalid, 'topic aliases are not supported');
    if (qos === 2 && p.messageId !== undefined && this.qos2Received.has(p.messageId)) return this.ackPublish(p, V5.Success);
    let code: number = V5.Success;
    if (!isPublishableTopic(p.topic)) code = V5.TopicNameInvalid;
    else if (!hasPermission(conn.permissions, 'sendToGroup', p.topic)) code = V5.NotAuthorized;
    let converted: ReturnType<typeof fromMqttPublish> | undefined;
    if (code === V5.Success) {
      const payload = typeof p.payload === 'string' ? Buffer.from(p.payload) : p.payload;
      converted = fromMqttPublish(payload, this.version, p.properties?.contentType);
      if (!converted.ok) code = V5.PayloadFormatInvalid;
    }
    if (converted?.ok) {
      const noLocal = session.subscriptions.get(p.topic)?.noLocal ?? false;
      this.services.registry.publishFromClient(
        conn,
        p.topic,
        converted.message,
        noLocal,
        qos === 0 ? 0 : 1,
        this.expiresAt(p.properties?.messageExpiryInterval),
      );
    } else if (!this.warned) {
      this.warned = true;
      this.services.log(
        `forbidden hub=${conn.hub} id=${conn.connectionId}: publish to ${logValue(p.topic)} refused (reason code 0x${code.toString(16)}); later refusals are not logged`,
      );
    }
    if (qos === 2 && p.messageId !== undefined && code === V5.Success) this.qos2Received.add(p.messageId);
    this.ackPublish(p, code);
  }

  /** PUBACK (QoS 1) or PUBREC (QoS 2); 3.1.1 has no reason codes, so a refused publish is acked and dropped there. */
  private ackPublish(p: IPublishPacket, code: number): void {
    if (p.qos === 0 || p.messageId === undefined) return;
    const cmd = p.qos === 1 ? 'puback' : 'pubrec';
    this.write(generate({ cmd, messageId: p.messageId, ...(this.version === 5 ? { reasonCode: code } : {}) }, { protocolVersion: this.version }));
  }

  private onSubscribe(p: ISubscribePacket): void {
    const session = this.session!;
    const conn = session.conn;
    const registry = this.services.registry;
    const subscriptionId = p.properties?.subscriptionIdentifier;
    const granted = p.subscriptions.map(({ topic, qos, nl }) => {
      const problem = topicFilterProblem(topic, this.version);
      if (problem !== undefined) return problem;
      const grantedQos = Math.min(qos, 1) as 0 | 1;
      if (topic === SERVER_MESSAGES_TOPIC) return grantedQos;
      if (!hasPermission(conn.permissions, 'joinLeaveGroup', topic)) return this.version === 5 ? V5.NotAuthorized : 0x80;
      if (!conn.groups.has(topic) && conn.groups.size >= MAX_CLIENT_GROUPS) return this.version === 5 ? 0x97 : 0x80; // quota exceeded
      registry.join(conn, topic);
      session.subscriptions.set(topic, { qos: grantedQos, noLocal: nl === true, ...(typeof subscriptionId === 'number' ? { subscriptionId } : {}) });
      return grantedQos;
    });
    this.write(
      generate({ cmd: 'suback', messageId: p.messageId, granted, ...(this.version === 5 ? { properties: {} } : {}) }, { protocolVersion: this.version }),
    );
  }

  private onUnsubscribe(p: IUnsubscribePacket): void {
    const session = this.session!;
    const conn = session.conn;
    const codes = p.unsubscriptions.map((topic) => {
      if (topic === SERVER_MESSAGES_TOPIC) return session.subscriptions.delete(topic) ? V5.Success : V5.NoSubscriptionExisted;
      const had = session.subscriptions.has(topic) || conn.groups.has(topic);
      if (!had) return V5.NoSubscriptionExisted;
      if (!hasPermission(conn.permissions, 'joinLeaveGroup', topic)) return V5.NotAuthorized;
      session.subscriptions.delete(topic);
      this.services.registry.leave(conn, topic);
      return V5.Success;
    });
    this.write(
      generate({ cmd: 'unsuback', messageId: p.messageId, ...(this.version === 5 ? { granted: codes, properties: {} } : {}) } as Packet, {
        protocolVersion: this.version,
      }),
    );
  }

  private onDisconnect(p: IDisconnectPacket): void {
    const code = p.reasonCode ?? 0;
    this.ending = { byClient: true, code, packet: p };
    // MQTT section 3.14.4: a normal DISCONNECT discards the will; 0x04 asks for it.
    if (code !== V5.DisconnectWithWill) this.will = undefined;
    const expiry = p.properties?.sessionExpiryInterval;
    if (this.session && this.version === 5 && expiry !== undefined) this.session.keepMs = sessionKeepMs(5, false, expiry);
    this.closeSocket('the client disconnected');
  }

  // ---- keep-alive, will, ending ----------------------------------------------------------------

  private startKeepAlive(seconds: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (seconds <= 0) return;
    // MQTT section 3.1.2.10: the server closes after one and a half keep-alive periods without a packet.
    this.keepAliveMs = seconds * 1500;
    const check = (): void => {
      if (this.state !== 'open') return;
      const idle = Date.now() - this.lastPacketAt;
      if (idle >= this.keepAliveMs) return this.fail(V5.KeepAliveTimeout, 'keep-alive timeout');
      this.timer = setTimeout(check, this.keepAliveMs - idle);
      this.timer.unref();
    };
    this.timer = setTimeout(check, this.keepAliveMs);
    this.timer.unref();
  }

  /** Another network connection took this session over (5.0 gets DISCONNECT 0x8E). */
  takenOver(): void {
    this.ending = { byClient: false, code: V5.SessionTakenOver };
    this.sendDisconnect(V5.SessionTakenOver, 'the session was taken over');
    if (this.session) {
      this.session.detach(this);
      if (this.session.conn.transport === this) this.session.conn.transport = null;
    }
    this.publishWill();
    this.session = undefined;
    this.closeSocket('session taken over');
  }

  private refuse(code: number, reason: string, userProperties?: ReturnType<typeof fromUserPropertyList>): void {
    this.services.log(`reject hub=${this.plan.hub} mqtt connect 0x${code.toString(16)}: ${logValue(reason)}`);
    const properties = this.version === 5 ? { reasonString: reason.slice(0, 200), ...(userProperties ? { userProperties } : {}) } : undefined;
    this.write(
      generate(
        { cmd: 'connack', sessionPresent: false, ...(this.version === 5 ? { reasonCode: code, properties } : { returnCode: code }) },
        { protocolVersion: this.version },
      ),
    );
    this.closeSocket(reason);
  }

  /** A protocol failure: 5.0 gets a DISCONNECT with the code; 3.1.1 only sees the socket close. */
  private fail(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.ending ??= { byClient: false, code };
    if (this.state === 'open') this.sendDisconnect(code, reason);
    this.closeSocket(reason);
  }

  private internalError(e: unknown): void {
    this.services.log(`error hub=${this.plan.hub} mqtt: ${logValue(e instanceof Error ? e.message : String(e))}`);
    this.fail(V5.UnspecifiedError, 'internal error');
  }

  private sendDisconnect(code: number, reason: string): void {
    if (this.version !== 5 || this.state !== 'open') return;
    this.write(generate({ cmd: 'disconnect', reasonCode: code, properties: { reasonString: reason.slice(0, 200) } }, { protocolVersion: 5 }));
  }

  private closeSocket(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.timer);
    this.transport.close(NORMAL_CLOSURE, reason);
  }

  private publishWill(): void {
    const will = this.will;
    this.will = undefined;
    const conn = this.session?.conn;
    if (!will || !conn || conn.ended) return;
    if (!isPublishableTopic(will.topic) || !hasPermission(conn.permissions, 'sendToGroup', will.topic)) return;
    const payload = typeof will.payload === 'string' ? Buffer.from(will.payload) : will.payload;
    const converted = fromMqttPublish(payload, this.version, will.properties?.contentType);
    if (converted.ok)
      this.services.registry.publishFromClient(
        conn,
        will.topic,
        converted.message,
        false,
        will.qos === 0 ? 0 : 1,
        this.expiresAt(will.properties?.messageExpiryInterval),
      );
  }

  /** MQTT 5.0 section 3.3.2.3.3: a Message Expiry Interval (seconds) bounds how long the message may wait for a receiver. */
  private expiresAt(intervalSeconds: number | undefined): number | undefined {
    return this.version === 5 && intervalSeconds !== undefined ? Date.now() + intervalSeconds * 1000 : undefined;
  }

  /** The socket closed: publish the will unless the client disconnected normally; keep or end the session. */
  private onClosed(): void {
    const wasOpen = this.state === 'open' || this.state === 'closed';
    this.state = 'closed';
    clearTimeout(this.timer);
    const session = this.session;
    if (!wasOpen || !session || session.conn.ended || session.conn.transport !== this) return;
    this.publishWill();
    const ending = this.ending ?? { byClient: false, code: V5.UnspecifiedError };
    const mqtt: MqttDisconnectedProperties = disconnectedProperties(ending.byClient, ending.code, ending.packet);
    session.detach(this);
    session.conn.transport = null;
    const reason = ending.byClient ? '' : 'connection lost';
    if (session.keepMs <= 0) {
      this.services.registry.end(session.conn, { code: NORMAL_CLOSURE, reason, mqtt });
      return;
    }
    session.expiryTimer = setTimeout(() => {
      if (!session.attached && !session.conn.ended)
        this.services.registry.end(session.conn, { code: NORMAL_CLOSURE, reason: reason || 'the session expired', mqtt });
    }, session.keepMs);
    session.expiryTimer.unref();
  }
}
