import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { ConnectFlow } from './client/connect-flow';
import { DEFAULT_RELIABLE_LIMITS, type ReliableLimits } from './client/reliable';
import { createUpgradeListener } from './client/upgrade';
import { DEVELOPMENT_KEY, defaultHubSettings, normalizeHubs, type ServiceHubSettings, type ServiceHubSettingsInput } from './config';
import { hubKey } from './core/name-rules';
import type { ServiceOps } from './core/types';
import { LocalAuthority, type SigningMaterial } from './entra/authority';
import { createEntraTokenVerifier } from './entra/data-plane-auth';
import { handleEntraRequest } from './entra/entra-routes';
import type { EntraSettings } from './entra/entra-settings';
import { createServiceTokenSource } from './entra/service-token-source';
import { createRequestHandler } from './http/request-handler';
import { listen, type ServerFactory } from './http/listener';
import { resolveLimits, type EmulatorLimits } from './limits';
import { logValue, silentLog, type Log } from './log';
import { isMqttPath, MqttEndpoint } from './mqtt/mqtt-endpoint';
import { BufferBudget } from './registry/buffer-budget';
import type { Connection } from './registry/connection';
import { DEFAULT_RECOVERY_WINDOW_MS, Registry, type EndOptions } from './registry/registry';
import { createRestHandler } from './rest/index';
import { createRestAuthenticator } from './rest/rest-authenticator';
import { shutdown, SHUTDOWN_REASON } from './shutdown';
import { disconnectedEvent } from './upstream/cloud-event-request';
import { EventDispatcher } from './upstream/event-dispatcher';
import { groupPresenceNotifier } from './upstream/group-presence-notifier';

/**
 * Composes the emulator: settings, the service state (registry), upstream events (dispatcher), the
 * client connect flow, the REST data plane and the listener. Each lifecycle lives in its own module;
 * this file only wires them and orders start and stop.
 */

export interface EmulatorOptions {
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Default: loopback, on both 127.0.0.1 and ::1 (so `localhost` works either way). `0.0.0.0`/`::` = all interfaces. */
  readonly host?: string;
  /** Access keys, primary first. Default: the public development key of local.settings.sample.json. */
  readonly keys?: readonly string[];
  /** Hub settings by hub name (case-insensitive); unlisted hubs have no handlers and deny anonymous clients. */
  readonly hubs?: Readonly<Record<string, ServiceHubSettingsInput>>;
  /** Per upstream event including retries (docs/protocol/cloud-events.md §11). Default 100 000. */
  readonly upstreamTimeoutMs?: number;
  /** Default [1000, 3000, 5000]. */
  readonly upstreamRetryDelaysMs?: readonly number[];
  /** An `invoke` without an answer after this fails with `Timeout` (docs/protocol/client-sdk-features.md §2). Default 60 000. */
  readonly invokeTimeoutMs?: number;
  /** Abuse-protection validation timeout. Default 10 000. */
  readonly validationTimeoutMs?: number;
  /** How long a dropped reliable connection can be recovered (docs/protocol/client-protocols.md §4.2). Default 30 000. */
  readonly recoveryWindowMs?: number;
  /** Reliable replay buffer cap. Default 1000 messages / 16 MB. */
  readonly reliableLimits?: ReliableLimits;
  /** One line per connection, upstream call and REST request. Default: silent. */
  readonly log?: Log;
  /** A client must send its request headers (REST or WebSocket upgrade) within this. Default 20 000. */
  readonly headersTimeoutMs?: number;
  /** A client must send its whole REST request (bodies are at most 1 MB) within this. Default 60 000. */
  readonly requestTimeoutMs?: number;
  /**
   * Creates the node servers (default: plain HTTP). A TLS mode passes one that calls https.createServer
   * with its key and certificate merged into the given options.
   */
  readonly createServer?: ServerFactory;
  /** Serve HTTPS and WSS with this certificate and key (PEM); the endpoint becomes `https://`. Overrides createServer. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * The resource's `disableLocalAuth`: tokens signed with access keys are refused (REST and clients),
   * upstream requests carry no `ce-signature`, and `:generateToken` signs with a key nobody outside holds.
   */
  readonly disableLocalAuth?: boolean;
  /** Runs the local Microsoft Entra authority (entra/): Entra tokens for REST, managed-identity upstream auth. */
  readonly entra?: { readonly settings: EntraSettings; readonly signing: SigningMaterial };
  /** Global buffered bytes and connections per user (docs/emulator-limits.md). Defaults: 256 MB, 100. */
  readonly limits?: Partial<EmulatorLimits>;
}

export interface RunningEmulator {
  readonly port: number;
  /** `http://localhost:<port>` */
  readonly endpoint: string;
  /** `Endpoint=http://localhost;Port=<port>;AccessKey=<primary key>;Version=1.0;` */
  readonly connectionString: string;
  /** The live state, for tools and tests that bypass REST. */
  readonly ops: ServiceOps;
  /** The local Microsoft Entra authority, when `entra` was given. */
  readonly authority?: LocalAuthority;
  close(): Promise<void>;
}

/** Starts the emulator; resolves once it listens (so `/api/health` answers 200 as soon as it resolves). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accessKeys = options.keys && options.keys.length > 0 ? [...options.keys] : [DEVELOPMENT_KEY];
  const localAuthDisabled = options.disableLocalAuth === true;
  // With local auth disabled the access keys no longer exist for callers; the service still signs the
  // client tokens of :generateToken and reconnection tokens, with a key of its own.
  const keys = localAuthDisabled ? [randomBytes(32).toString('base64url')] : accessKeys;
  const log = options.log ?? silentLog;
  const hubSettings = hubSettingsLookup(normalizeHubs(options.hubs ?? {}));
  const limits = resolveLimits(options.limits);

  let port = options.port ?? 8080;
  let endpoint = '';
  let shuttingDown = false;
  const authority = options.entra ? new LocalAuthority(options.entra.settings, options.entra.signing, () => endpoint) : undefined;

  const dispatcher = new EventDispatcher({
    keys: localAuthDisabled ? [] : keys,
    ...(authority
      ? {
          upstreamToken: createServiceTokenSource(authority, (t, resource) =>
            log(
              `entra issued a token of the service identity for ${resource}: ver=${t.version}.0 aud=${t.audience} exp=${new Date(t.expiresOn * 1000).toISOString()}`,
            ),
          ),
        }
      : {}),
    origin: 'localhost',
    get port() {
      return port;
    },
    timeoutMs: options.upstreamTimeoutMs ?? 100_000,
    retryDelaysMs: options.upstreamRetryDelaysMs ?? [1000, 3000, 5000],
    validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
    log,
  });

  const onEnded = (conn: Connection, end: EndOptions): void => {
    clients.ended(conn);
    log(
      `close hub=${conn.hub} id=${conn.connectionId} user=${logValue(conn.userId)} protocol=${logValue(conn.protocol)} code=${end.code} reason=${logValue(end.reason)}`,
      'traffic',
    );
    if (shuttingDown) return;
    const hub = hubSettings(conn.hub);
    // docs/protocol/cloud-events.md §5: `disconnected` once, when the connection finally ends (connect had succeeded).
    if (dispatcher.hasHandler(hub, { kind: 'system', name: 'disconnected' })) {
      dispatcher
        .dispatch(
          hub,
          conn.eventConnection(),
          disconnectedEvent(end.reason, conn.kind === 'mqtt' ? (end.mqtt ?? serviceDisconnect(end.reason)) : undefined),
          conn.takeCeId(),
        )
        .catch((e: unknown) => {
          log(`upstream error: ${logValue(e instanceof Error ? e.message : String(e))}`);
        });
    }
  };

  const registry = new Registry({
    keys,
    onEnded,
    onRecovered: (conn) => log(`recover hub=${conn.hub} id=${conn.connectionId} user=${logValue(conn.userId)} unacked=${conn.reliable?.unackedCount ?? 0}`),
    recoveryWindowMs: options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS,
    onGroupMembership: groupPresenceNotifier({
      dispatcher,
      hubSettings,
      stopping: () => shuttingDown,
      onFailure: (e) => log(`upstream error: ${logValue(e instanceof Error ? e.message : String(e))}`),
    }),
    budget: new BufferBudget<Connection>(limits.maxBufferedBytes),
  });

  const clients = new ConnectFlow({
    keys,
    registry,
    dispatcher,
    hubSettings,
    log,
    reliableLimits: options.reliableLimits ?? DEFAULT_RELIABLE_LIMITS,
    maxConnectionsPerUser: limits.maxConnectionsPerUser,
    endpoint: () => endpoint,
    isShuttingDown: () => shuttingDown,
    invocations: { timeoutMs: options.invokeTimeoutMs ?? 60_000, maxPending: 100 },
  });

  // MQTT clients (/clients/mqtt/hubs/{hub}) share the registry, upstream and REST with the other clients.
  const mqtt = new MqttEndpoint({ keys, registry, dispatcher, hubSettings, log, endpoint: () => endpoint, isShuttingDown: () => shuttingDown });

  const rest = createRestHandler({
    ops: registry,
    keys,
    log: (line, kind) => log(`rest ${line}`, kind),
    ...(localAuthDisabled || authority
      ? {
          authenticate: createRestAuthenticator({
            keys,
            localAuthDisabled,
            ...(authority ? { entra: { verify: createEntraTokenVerifier(authority), roleAssignments: authority.settings.roleAssignments } } : {}),
          }),
        }
      : {}),
  });
  const requests = createRequestHandler(rest, log);
  const tls = options.tls;
  const createServer: ServerFactory | undefined = tls
    ? (o, onRequest) => https.createServer({ ...o, cert: tls.cert, key: tls.key }, onRequest)
    : options.createServer;
  const listener = await listen({
    host: options.host,
    port,
    onRequest: authority ? (req, res) => void (handleEntraRequest(req, res, authority, log) || requests(req, res)) : requests,
    onUpgrade: createUpgradeListener({
      isShuttingDown: () => shuttingDown,
      handshake: (req, socket, head) => (isMqttPath(req.url) ? mqtt.handshake(req, socket, head) : clients.handshake(req, socket, head)),
      log,
    }),
    timeouts: { headersTimeout: options.headersTimeoutMs ?? 20_000, requestTimeout: options.requestTimeoutMs ?? 60_000 },
    ...(createServer ? { createServer } : {}),
  });
  port = listener.port;
  const scheme = tls ? 'https' : 'http';
  endpoint = `${scheme}://localhost:${port}`;

  return {
    port,
    endpoint,
    connectionString: `Endpoint=${scheme}://localhost;Port=${port};${localAuthDisabled ? '' : `AccessKey=${keys[0]};`}Version=1.0;`,
    ops: registry,
    ...(authority ? { authority } : {}),
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      await shutdown({
        handshaking: clients.handshaking,
        registry,
        sockets: clients.transports,
        refused: clients.refused,
        stopTimers: () => {
          clients.close();
          mqtt.close();
          dispatcher.close();
        },
        closeListener: () => listener.close(),
      });
    },
  };
}

/** The `mqtt` object of `disconnected` when the service ended an MQTT connection (REST close, shutdown): an administrative action. */
function serviceDisconnect(reason: string): { initiatedByClient: false; disconnectPacket: { code: number } } {
  return { initiatedByClient: false, disconnectPacket: { code: reason === SHUTDOWN_REASON ? 0x8b : 0x98 } };
}

/**
 * Settings by hub name. Unconfigured hubs get default settings; those were rebuilt on each of the
 * several lookups per upgrade. They never change at run time, so they are kept per hub name as sent
 * (the name is part of the settings). Hub names are client-chosen: the cache starts over when full.
 */
function hubSettingsLookup(configured: ReadonlyMap<string, ServiceHubSettings>): (hub: string) => ServiceHubSettings {
  const defaults = new Map<string, ServiceHubSettings>();
  return (hub) => {
    const settings = configured.get(hubKey(hub));
    if (settings) return settings;
    let fallback = defaults.get(hub);
    if (fallback === undefined) {
      if (defaults.size >= 1024) defaults.clear();
      fallback = defaultHubSettings(hub);
      defaults.set(hub, fallback);
    }
    return fallback;
  };
}
