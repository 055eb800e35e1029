import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ANONYMOUS, clientAudiences, verifyClientToken, type TokenIdentity } from '../auth/client-token-verifier';
import { MAX_FRAME_BYTES } from '../client/connect-flow';
import { parseOfferedProtocols } from '../client/client-kind';
import { bearerToken, connectHeaders, connectQuery, rawHeaderValues, type HandshakeInput } from '../client/handshake';
import { FlushScheduler } from '../client/transport';
import { handshakeInputOf, rejectDecidedUpgrade } from '../client/upgrade';
import { isServiceError, UnauthorizedError } from '../core/service-errors';
import { isValidHubName } from '../core/name-rules';
import { parseRequestTarget } from '../http/request-target';
import { MqttNetwork, type MqttServices, type MqttUpgradePlan } from './mqtt-network';

/**
 * The MQTT client endpoint `/clients/mqtt/hubs/{hub}` ("Connect MQTT WebSocket clients"): MQTT over
 * WebSocket with subprotocol `mqtt`, the access token in `access_token` or `Authorization: Bearer`, or
 * none when the hub allows anonymous clients. The upgrade is refused in plain HTTP like other client
 * upgrades; everything after it is MQTT (mqtt-network.ts).
 */

export const MQTT_SUBPROTOCOL = 'mqtt';

export interface MqttEndpointOptions extends Omit<MqttServices, 'scheduler'> {
  readonly keys: readonly string[];
  readonly endpoint: () => string;
  readonly isShuttingDown: () => boolean;
}

export type MqttUpgradeDecision = ({ kind: 'accept' } & MqttUpgradePlan) | { kind: 'reject'; status: number; message: string };

/** The hub of an MQTT client URL, or null when the path is not the MQTT endpoint. */
export function hubOfMqttUrl(pathname: string): string | null {
  const m = /^\/clients\/mqtt\/hubs\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return '';
  }
}

export function isMqttPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/clients/mqtt/');
}

/** Decides an MQTT upgrade request. Pure (no sockets; the clock only for token expiry). */
export function decideMqttUpgrade(input: HandshakeInput): MqttUpgradeDecision {
  const url = parseRequestTarget(input.url);
  if (url === undefined) return { kind: 'reject', status: 400, message: 'the request URL is not valid' };
  const hub = hubOfMqttUrl(url.pathname);
  if (hub === null) return { kind: 'reject', status: 404, message: 'not an MQTT client endpoint; use /clients/mqtt/hubs/<hub>' };
  if (!isValidHubName(hub)) return { kind: 'reject', status: 400, message: 'invalid hub name' };
  const offered = parseOfferedProtocols(rawHeaderValues(input.rawHeaders, 'sec-websocket-protocol')?.join(','));
  if (!offered.includes(MQTT_SUBPROTOCOL))
    return { kind: 'reject', status: 400, message: 'MQTT clients must offer the WebSocket subprotocol "mqtt" (MQTT 3.1.1 or 5.0)' };
  const token = url.searchParams.get('access_token') || bearerToken(rawHeaderValues(input.rawHeaders, 'authorization')?.[0]) || '';
  let identity: TokenIdentity;
  try {
    if (token === '') {
      if (input.anonymousConnectPolicy(hub) !== 'allow')
        throw new UnauthorizedError('an access token is required (access_token query parameter or Authorization: Bearer header)');
      identity = ANONYMOUS;
    } else {
      identity = verifyClientToken(token, {
        keys: input.keys,
        audiences: clientAudiences({ hub, requestHost: input.host, endpoint: input.endpoint, mqtt: true }),
        ...(input.now !== undefined ? { now: input.now } : {}),
      });
    }
  } catch (e) {
    if (isServiceError(e)) return { kind: 'reject', status: e.status, message: e.message };
    throw e;
  }
  return { kind: 'accept', hub, identity, offered, query: connectQuery(url.searchParams), headers: connectHeaders(input.rawHeaders) };
}

export class MqttEndpoint {
  /** Open MQTT network connections, for shutdown. */
  readonly networks = new Set<MqttNetwork>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: () => MQTT_SUBPROTOCOL,
  });
  private readonly scheduler = new FlushScheduler();

  constructor(private readonly options: MqttEndpointOptions) {}

  async handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { keys, hubSettings, log } = this.options;
    const decision = decideMqttUpgrade(
      handshakeInputOf(req, { keys, endpoint: this.options.endpoint(), anonymousConnectPolicy: (hub) => hubSettings(hub).anonymousConnectPolicy }),
    );
    if (decision.kind === 'reject') return rejectDecidedUpgrade(log, req, socket, decision);
    if (this.options.isShuttingDown()) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const network = new MqttNetwork(ws, socket, decision, { ...this.options, scheduler: this.scheduler });
      this.networks.add(network);
      ws.once('close', () => this.networks.delete(network));
    });
  }

  /** Shutdown: cuts every network connection still open (sessions end with the registry). */
  close(): void {
    for (const n of this.networks) n.terminate();
    this.networks.clear();
    this.wss.close();
  }
}
