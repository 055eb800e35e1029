/**
 * What `npm start` runs, decided from plain values (environment, settings files, chosen ports).
 * No I/O here: start.ts reads the files, finds free ports and spawns the children.
 */

/** A problem the user must fix; start.ts prints the message alone and exits 1. */
export class StartError extends Error {
  override name = 'StartError';
}

export interface ChildCommand {
  /** Shown in logs: `[emulator]`, `[functions]`. */
  readonly name: string;
  /** For messages: "the local Web PubSub emulator". */
  readonly description: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The program takes `--quiet` (no line per event): our emulator and local host do; Core Tools has no such switch. */
  readonly takesQuiet?: boolean;
}

export interface StackPlan {
  readonly functionsPort: number;
  readonly emulatorPort: number;
  readonly connectionString: string;
  readonly emulator: ChildCommand;
  readonly functions: ChildCommand;
  /** Where the page is served, first the main one. */
  readonly chatUrls: readonly string[];
  readonly apiBase: string;
  /** NegotiateAuth=easyauth: the local host signs people in as App Service Authentication does. */
  readonly easyAuth: boolean;
}

export interface PlanInput {
  readonly useCoreTools: boolean;
  readonly functionsPort: number;
  readonly emulatorPort: number;
  /** The development key from local.settings.sample.json (the emulator's default). */
  readonly accessKey: string;
  /** Hubs from WebPubSubHub (comma-separated); each gets the event handler as its upstream. */
  readonly hubs: readonly string[];
  readonly routePrefix: string;
  readonly eventHandlerRoute: string;
  readonly negotiateAuth: string | undefined;
  /** The environment the children inherit (WebPubSubConnectionString etc. are set on top). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nodePath: string;
}

/** Reads a port variable: a whole number 0-65535 (0 = pick a free port), or the default when unset. */
export function readPort(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65535) {
    throw new StartError(`${name} must be a port number from 0 to 65535 (0 picks a free one), got "${raw}".`);
  }
  return Number(raw);
}

export function splitHubs(value: string | undefined): string[] {
  const hubs = (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return hubs.length > 0 ? hubs : ['chat'];
}

export function planStack(input: PlanInput): StackPlan {
  const { functionsPort: fp, emulatorPort: ep } = input;
  const easyAuth = (input.negotiateAuth ?? '').trim().toLowerCase() === 'easyauth';
  if (easyAuth && input.useCoreTools) {
    throw new StartError(
      'NegotiateAuth=easyauth needs App Service Authentication in front of the app, which Core Tools does not emulate. Run "npm start" (the local host signs people in with a local form), or use NegotiateAuth=dev with --func.',
    );
  }
  const prefix = input.routePrefix.replace(/^\/+|\/+$/g, '');
  const apiBase = `http://localhost:${fp}${prefix ? `/${prefix}` : ''}`;
  const connectionString = `Endpoint=http://localhost;Port=${ep};AccessKey=${input.accessKey};Version=1.0;`;
  const inherited = Object.fromEntries(Object.entries(input.env).filter((e): e is [string, string] => e[1] !== undefined));
  const functionsEnv = {
    ...inherited,
    PORT: String(fp),
    WebPubSubConnectionString: connectionString,
    NegotiateAuth: input.negotiateAuth ?? 'dev',
  };
  const upstreams = input.hubs.flatMap((hub) => ['--upstream', `${hub}=${apiBase}/${input.eventHandlerRoute}`]);
  return {
    functionsPort: fp,
    emulatorPort: ep,
    connectionString,
    emulator: {
      name: 'emulator',
      description: 'the local Web PubSub service (emulator)',
      command: input.nodePath,
      args: ['dist/emulator/main.js', '--port', String(ep), '--key', input.accessKey, ...upstreams],
      env: inherited,
      takesQuiet: true,
    },
    functions: input.useCoreTools
      ? {
          name: 'functions',
          description: 'Azure Functions Core Tools (func start)',
          command: 'func',
          args: ['start', '--port', String(fp)],
          env: functionsEnv,
        }
      : {
          name: 'functions',
          description: 'the local Functions host',
          command: input.nodePath,
          args: ['dist/local-host/main.js', '--port', String(fp), '--static', 'dist/web', ...(easyAuth ? ['--easyauth'] : [])],
          env: functionsEnv,
          takesQuiet: true,
        },
    // Core Tools serves its own page at `/`; the local host serves the chat page there too.
    chatUrls: input.useCoreTools ? [`${apiBase}/chat/`] : [`http://localhost:${fp}/`, `${apiBase}/chat/`],
    apiBase,
    easyAuth,
  };
}

/** `npm start -- --quiet`: the child with `--quiet` when it takes it (once), else unchanged. */
export function quietChild(child: ChildCommand): ChildCommand {
  return child.takesQuiet && !child.args.includes('--quiet') ? { ...child, args: [...child.args, '--quiet'] } : child;
}

/** Where the page is, and (easyauth) where to sign in. */
export function chatPageLines(plan: StackPlan): string[] {
  const [main, ...others] = plan.chatUrls;
  return [
    `  Chat:        ${main}   (open it in two browser tabs, pick two names)`,
    ...others.map((u) => `               ${u}   (the same page, served by the "web" function as in Azure)`),
    ...(plan.easyAuth
      ? [`  Sign in:     http://localhost:${plan.functionsPort}/.auth/login/aad   (local App Service Authentication: any name, no password)`]
      : []),
  ];
}

/** Negotiate, publish and the emulator's Web PubSub endpoint (on `port`: EMULATOR_PORT unless the stack moved it). */
export function webPubSubLines(plan: StackPlan, port = plan.emulatorPort): string[] {
  const curlBody = JSON.stringify({ data: { from: 'curl', text: 'Hello from curl' } });
  return [
    plan.easyAuth
      ? `  Negotiate:   ${plan.apiBase}/negotiate   (with the AppServiceAuthSession cookie of a signed-in browser)`
      : `  Negotiate:   ${plan.apiBase}/negotiate?userId=alice   (returns the WebSocket URL and token a client connects with)`,
    `  Publish:     curl -X POST ${plan.apiBase}/publish -H 'content-type: application/json' -d '${curlBody}'`,
    `  Web PubSub:  http://localhost:${port}   (local emulator of the Azure service)`,
    `               connection string: ${plan.connectionString}`,
  ];
}

/** `port 8080`, `ports 8080 and 8081`: the ports a child serves, for the line printed before it starts. */
export function formatPorts(ports: readonly number[]): string {
  if (ports.length === 1) return `port ${ports[0]}`;
  return `ports ${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;
}
