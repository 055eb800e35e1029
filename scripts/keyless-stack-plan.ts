/**
 * What `npm run start:keyless` runs: the deployed configuration on one machine. The emulator runs as a
 * Web PubSub resource with `disableLocalAuth`, TLS, and a local Microsoft Entra authority; the
 * Functions app runs on the local host with App Service Authentication and exactly the app settings
 * infra/ deploys (keyless-app-settings.ts), where only the Entra login endpoint, the service host, the
 * managed-identity endpoint and the trusted CA are local. No I/O here: start.ts writes the emulator's
 * config file and spawns the children.
 */
import { KNOWN_SETTINGS } from '../shared/config/app-config';
import { keylessAppSettings } from './keyless-app-settings';
import type { ChildCommand } from './stack-plan';

/**
 * The ids Azure would assign at deployment, fixed locally. Not secrets: with local auth disabled, an id
 * grants nothing without a token signed by the authority.
 */
export const LOCAL_DEPLOYMENT_IDS = {
  tenantId: '0c0a1e55-0000-4000-8000-00000000d001',
  appIdentity: {
    name: 'id-api (the function app identity)',
    clientId: '1d0c1e55-0000-4000-8000-00000000a001',
    principalId: '0b1ec7e5-0000-4000-8000-00000000a001',
  },
  webPubSubIdentity: {
    name: 'wps (the Web PubSub system identity)',
    clientId: '1d0c1e55-0000-4000-8000-00000000b001',
    principalId: '0b1ec7e5-0000-4000-8000-00000000b001',
  },
  signalRIdentity: {
    name: 'sigr (the SignalR Service system identity)',
    clientId: '1d0c1e55-0000-4000-8000-00000000e001',
    principalId: '0b1ec7e5-0000-4000-8000-00000000e001',
  },
  /** The app registration infra/ creates: audience of upstream tokens (v2), sign-in app of App Service Authentication. */
  appClientId: 'a9900000-0000-4000-8000-00000000c001',
} as const;

export const WEB_PUBSUB_SERVICE_OWNER = 'Web PubSub Service Owner';
export const SIGNALR_SERVICE_OWNER = 'SignalR Service Owner';

/**
 * `--signalr`: Azure SignalR Service too, as `azd up` deploys it with enableSignalR (infra/modules/signalr.bicep):
 * the emulator serves it on its own port beside Web PubSub, sharing the TLS certificate and the authority.
 */
export interface KeylessSignalRInput {
  readonly port: number;
  /** functions/routes.ts signalrEvents. */
  readonly eventsRoute: string;
}

export interface KeylessPlanInput {
  readonly functionsPort: number;
  readonly emulatorPort: number;
  /** Absolute folder of the local CA (the emulator creates or reuses it there). */
  readonly caDir: string;
  /** Absolute path of the CA certificate: NODE_EXTRA_CA_CERTS of the app. */
  readonly caPath: string;
  /** Where start.ts writes the emulator's config (emulatorConfig below). */
  readonly emulatorConfigPath: string;
  readonly hubs: readonly string[];
  readonly routePrefix: string;
  readonly eventHandlerRoute: string;
  /** The managed-identity endpoint's secret for this run. */
  readonly identityHeader: string;
  readonly tokenLifetimeSeconds?: number;
  readonly clockSkewSeconds?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nodePath: string;
  readonly signalr?: KeylessSignalRInput;
}

export interface KeylessStackPlan {
  readonly functionsPort: number;
  readonly emulatorPort: number;
  readonly emulator: ChildCommand;
  readonly functions: ChildCommand;
  readonly chatUrls: readonly string[];
  readonly apiBase: string;
  readonly serviceUri: string;
  /** `https://localhost:<SignalR port>`, with `--signalr`. */
  readonly signalrServiceUri?: string;
  /** The ports the emulator serves: Web PubSub's, then SignalR's with `--signalr`. */
  readonly emulatorPorts: readonly number[];
  /** What start.ts waits for before its banner: each of the emulator's services over TLS. */
  readonly emulatorHealthUrls: readonly string[];
  readonly authority: string;
  readonly caPath: string;
  /** The JSON start.ts writes to emulatorConfigPath. */
  readonly emulatorConfig: Record<string, unknown>;
  /** The settings infra/ deploys, with the local deployment's values. */
  readonly appSettings: Readonly<Record<string, string>>;
  /** What the app gets besides them: the managed-identity endpoint and the CA. */
  readonly localOverrides: Readonly<Record<string, string>>;
}

export function planKeylessStack(input: KeylessPlanInput): KeylessStackPlan {
  const { functionsPort: fp, emulatorPort: ep } = input;
  const ids = LOCAL_DEPLOYMENT_IDS;
  const prefix = input.routePrefix.replace(/^\/+|\/+$/g, '');
  const functionsBase = `http://localhost:${fp}`;
  const apiBase = `${functionsBase}${prefix ? `/${prefix}` : ''}`;
  const serviceUri = `https://localhost:${ep}`;
  const authority = `${serviceUri}/`;

  const appSettings = keylessAppSettings({
    webPubSubHostName: `localhost:${ep}`,
    identityClientId: ids.appIdentity.clientId,
    tenantId: ids.tenantId,
    loginEndpoint: authority,
    appClientId: ids.appClientId,
    appRegistrationCreated: true,
    webPubSubPrincipalId: ids.webPubSubIdentity.principalId,
    hubName: input.hubs.join(','),
    negotiateAuth: 'easyauth',
    ...(input.signalr ? { signalR: { hostName: `localhost:${input.signalr.port}`, principalId: ids.signalRIdentity.principalId } } : {}),
  });
  const signalrServiceUri = input.signalr ? `https://localhost:${input.signalr.port}` : undefined;
  const localOverrides = {
    // App Service sets these two for an app with a managed identity; MSAL (under @azure/identity) reads them.
    IDENTITY_ENDPOINT: `${serviceUri}/msi/token`,
    IDENTITY_HEADER: input.identityHeader,
    // Azure's certificates chain to public roots; the local ones to the local CA.
    NODE_EXTRA_CA_CERTS: input.caPath,
  };

  // Settings the app reads but infra/ leaves unset stay unset: blank (= not set for shared/config.ts),
  // so that neither the shell nor local.settings.json can add to what Azure has.
  const blanked = Object.fromEntries(KNOWN_SETTINGS.filter((k) => !k.includes('<') && !(k in appSettings)).map((k) => [k, '']));
  const inherited = Object.fromEntries(
    Object.entries(input.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && !/^(WebPubSub|Negotiate|EventHandler|Cors|AzureSignalR|SignalR)/i.test(e[0]) && !(e[0] in localOverrides),
    ),
  );

  const emulatorConfig = {
    tls: true,
    disableLocalAuth: true,
    entra: {
      tenantId: ids.tenantId,
      identityHeader: input.identityHeader,
      ...(input.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: input.tokenLifetimeSeconds } : {}),
      ...(input.clockSkewSeconds !== undefined ? { clockSkewSeconds: input.clockSkewSeconds } : {}),
      managedIdentities: [ids.appIdentity],
      serviceIdentity: ids.webPubSubIdentity,
      signalRIdentity: ids.signalRIdentity,
      applications: [{ appId: ids.appClientId, identifierUris: [`api://${ids.appClientId}`], accessTokenVersion: 2 }],
      // infra/modules/role-assignments.bicep: Web PubSub Service Owner for the app identity;
      // infra/modules/signalr-role-assignment.bicep: SignalR Service Owner, with enableSignalR.
      roleAssignments: [
        { principalId: ids.appIdentity.principalId, roleDefinitionName: WEB_PUBSUB_SERVICE_OWNER },
        ...(input.signalr ? [{ principalId: ids.appIdentity.principalId, roleDefinitionName: SIGNALR_SERVICE_OWNER }] : []),
      ],
    },
    // infra/modules/signalr.bicep's upstream template, with the local app's URL.
    ...(input.signalr
      ? {
          signalr: {
            upstream: {
              templates: [
                {
                  hubPattern: '*',
                  urlTemplate: `${apiBase}/${input.signalr.eventsRoute}`,
                  auth: { type: 'ManagedIdentity', managedIdentity: { resource: ids.appClientId } },
                },
              ],
            },
          },
        }
      : {}),
    // infra/modules/web-pubsub-hub.bicep's hub, with the local app's URL.
    hubs: Object.fromEntries(
      input.hubs.map((hub) => [
        hub,
        {
          anonymousConnectPolicy: 'deny',
          eventHandlers: [
            {
              urlTemplate: `${apiBase}/${input.eventHandlerRoute}`,
              userEventPattern: '*',
              systemEvents: ['connect', 'connected', 'disconnected'],
              auth: { type: 'ManagedIdentity', managedIdentity: { resource: ids.appClientId } },
            },
          ],
        },
      ]),
    ),
  };

  return {
    functionsPort: fp,
    emulatorPort: ep,
    emulator: {
      name: 'emulator',
      description: input.signalr ? 'the local Web PubSub and SignalR Service (emulator, keyless)' : 'the local Web PubSub service (emulator, keyless)',
      command: input.nodePath,
      args: [
        'dist/emulator/main.js',
        '--port',
        String(ep),
        ...(input.signalr ? ['--signalr-port', String(input.signalr.port)] : []),
        '--config',
        input.emulatorConfigPath,
        '--ca-dir',
        input.caDir,
      ],
      env: inherited,
      takesQuiet: true,
    },
    functions: {
      name: 'functions',
      description: 'the local Functions host',
      command: input.nodePath,
      args: [
        'dist/local-host/main.js',
        '--port',
        String(fp),
        '--static',
        'dist/web',
        '--easyauth',
        '--easyauth-tenant-id',
        ids.tenantId,
        '--easyauth-client-id',
        ids.appClientId,
      ],
      env: { ...inherited, ...blanked, ...appSettings, ...localOverrides, PORT: String(fp) },
      takesQuiet: true,
    },
    chatUrls: [`${functionsBase}/`, `${apiBase}/chat/`],
    apiBase,
    serviceUri,
    ...(signalrServiceUri ? { signalrServiceUri } : {}),
    emulatorPorts: input.signalr ? [ep, input.signalr.port] : [ep],
    emulatorHealthUrls: [serviceUri, ...(signalrServiceUri ? [signalrServiceUri] : [])].map((base) => `${base}/api/health`),
    authority,
    caPath: input.caPath,
    emulatorConfig,
    appSettings,
    localOverrides,
  };
}

export function formatKeylessBanner(plan: KeylessStackPlan): string[] {
  const [main, ...others] = plan.chatUrls;
  const curlBody = JSON.stringify({ data: { from: 'curl', text: 'Hello from curl' } });
  return [
    '',
    'The Web PubSub chat is running on this machine in keyless mode: the configuration `azd up` deploys.',
    '',
    `  Chat:        ${main}   (sign in with any name; each tab or browser profile is one user)`,
    ...others.map((u) => `               ${u}   (the same page, served by the "web" function as in Azure)`),
    `  Sign in:     ${plan.chatUrls[0]!.replace(/\/$/, '')}/.auth/login/aad   (App Service Authentication, local sign-in form)`,
    `  Publish:     curl -X POST ${plan.apiBase}/publish -H 'content-type: application/json' -d '${curlBody}'`,
    `  Web PubSub:  ${plan.serviceUri}   (local service on port ${plan.emulatorPorts[0]} with local auth disabled: Microsoft Entra tokens only, TLS)`,
    `  Entra:       ${plan.authority}${LOCAL_DEPLOYMENT_IDS.tenantId}/v2.0   (local authority; managed identity at ${plan.localOverrides.IDENTITY_ENDPOINT})`,
    ...(plan.signalrServiceUri
      ? [
          `  SignalR:     ${plan.signalrServiceUri}   (local SignalR Service on port ${plan.emulatorPorts[1]}, Serverless, local auth disabled; hub URL ${plan.apiBase}/signalr)`,
        ]
      : []),
    `  TLS:         the page connects to wss://localhost:${plan.emulatorPort}: your browser must trust ${plan.caPath}`,
    `               (see the emulator's "Browsers:" line above), or open ${plan.serviceUri}/api/health once and accept it.`,
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
}
