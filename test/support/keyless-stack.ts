import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { descendantsOf, isRunning, spawnGroup, type GroupProcess } from './process-group';
import { repoRoot } from './stack';

/** `npm run start:keyless` (dist/start.js --keyless) on free ports, with its CA in `caDir`. */
export interface KeylessStack {
  readonly process: GroupProcess;
  readonly functionsBase: string;
  /** `https://localhost:<EMULATOR_PORT>` */
  readonly serviceUri: string;
  /** `https://localhost:<EMULATOR_SECOND_PORT>`, when started with `--signalr`. */
  readonly signalrServiceUri?: string;
  readonly caDir: string;
  readonly caPem: string;
  /** This run's emulator config (identity header, ids), as start.ts wrote it. */
  readonly emulatorConfig: {
    entra: {
      tenantId: string;
      identityHeader: string;
      managedIdentities: { clientId: string; principalId: string }[];
      serviceIdentity: { principalId: string };
      applications: { appId: string }[];
    };
  };
  stop(): Promise<void>;
}

export async function startKeylessStack(caDir: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = []): Promise<KeylessStack> {
  const proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js'), '--keyless', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', EMULATOR_PORT: '0', LOCAL_CA_DIR: caDir, ...env },
  });
  try {
    await proc.waitForOutput(/Press Ctrl-C to stop everything/);
    const [, functionsBase] = await proc.waitForOutput(/Chat: +(http:\/\/localhost:\d+)\//);
    const [, serviceUri] = await proc.waitForOutput(/Web PubSub: +(https:\/\/localhost:\d+)/);
    const signalrServiceUri = args.includes('--signalr') ? (await proc.waitForOutput(/SignalR: +(https:\/\/localhost:\d+)/))[1] : undefined;
    const children = descendantsOf(proc.pid);
    return {
      process: proc,
      functionsBase: functionsBase!,
      serviceUri: serviceUri!,
      ...(signalrServiceUri ? { signalrServiceUri } : {}),
      caDir,
      caPem: readFileSync(join(caDir, 'ca.pem'), 'utf8'),
      emulatorConfig: JSON.parse(readFileSync(join(caDir, 'keyless-emulator.json'), 'utf8')),
      stop: async () => {
        await proc.stop('SIGINT');
        for (const pid of children.filter(isRunning)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      },
    };
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
}

/** An https request to the emulator trusting the local CA (this test process was not started with it). */
export function httpsRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; ca: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ca: options.ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The local authority's signing key and kid, read from the CA folder as an attacker on this machine could not. */
export function authorityKey(caDir: string): { key: KeyObject; kid: string } {
  const cert = new X509Certificate(readFileSync(join(caDir, 'entra-signing.pem')));
  return { key: createPrivateKey(readFileSync(join(caDir, 'entra-signing-key.pem'))), kid: createHash('sha1').update(cert.raw).digest('base64url') };
}

/** An RS256 token signed by the local authority's key (or by `key`, to forge one), for principals the managed-identity endpoint does not serve. */
export async function authoritySigned(caDir: string, claims: Record<string, unknown>, key?: KeyObject): Promise<string> {
  const authority = authorityKey(caDir);
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: authority.kid }).sign(key ?? authority.key);
}

/** A token of the stack's first managed identity from the managed-identity endpoint, as @azure/identity gets it. */
export async function managedIdentityToken(stack: KeylessStack, resource: string): Promise<string> {
  const { entra } = stack.emulatorConfig;
  const q = new URLSearchParams({ 'api-version': '2019-08-01', resource, client_id: entra.managedIdentities[0]!.clientId });
  const res = await httpsRequest(`${stack.serviceUri}/msi/token?${q}`, { headers: { 'X-IDENTITY-HEADER': entra.identityHeader }, ca: stack.caPem });
  if (res.status !== 200) throw new Error(`the managed-identity endpoint answered ${res.status} for ${resource}: ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

/** v1 access-token claims of the stack's first managed identity for `aud`, valid for ten minutes; `over` replaces any of them. */
export function managedIdentityClaims(stack: KeylessStack, aud: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const { entra } = stack.emulatorConfig;
  const now = Math.floor(Date.now() / 1000);
  const identity = entra.managedIdentities[0]!;
  return {
    aud,
    iss: `${stack.serviceUri}/${entra.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + 600,
    appid: identity.clientId,
    oid: identity.principalId,
    sub: identity.principalId,
    tid: entra.tenantId,
    ver: '1.0',
    ...over,
  };
}

/**
 * v2 access-token claims of a service's managed identity (`principalId`) for the app registration, as Entra
 * issues them for an upstream's ManagedIdentity auth, valid for ten minutes; `over` replaces any of them.
 */
export function serviceIdentityClaims(stack: KeylessStack, principalId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const { entra } = stack.emulatorConfig;
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: entra.applications[0]!.appId,
    iss: `${stack.serviceUri}/${entra.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 600,
    azp: '00000000-0000-4000-8000-000000000000',
    oid: principalId,
    sub: principalId,
    tid: entra.tenantId,
    ver: '2.0',
    ...over,
  };
}

/** Signs in through App Service Authentication's local form; returns the Cookie header to send. */
export async function signIn(functionsBase: string, name: string): Promise<string> {
  const res = await fetch(`${functionsBase}/.auth/login/aad/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }).toString(),
    redirect: 'manual',
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie.startsWith('AppServiceAuthSession=')) throw new Error(`sign-in answered ${res.status} without a session cookie`);
  return cookie;
}

type ClientEvent = { ev: string; [k: string]: unknown };

/** An official client in a child process that trusts the CA (keyless-chat-client.cjs, or keyless-signalr-client.cjs). */
export class ChatClientProcess {
  readonly events: ClientEvent[] = [];
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private exited = false;

  constructor(negotiateUrl: string, cookie: string, caPath: string, script = 'keyless-chat-client.cjs', extraArgs: readonly string[] = []) {
    this.child = spawn(process.execPath, [join(__dirname, script), negotiateUrl, cookie, ...extraArgs], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caPath },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) this.events.push(JSON.parse(line) as ClientEvent);
      }
      this.listeners.forEach((l) => l());
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.events.push({ ev: 'stderr', text: d }));
    this.child.once('exit', () => {
      this.exited = true;
      this.listeners.forEach((l) => l());
    });
  }

  /** Resolves with the first event (already seen or future) that matches. */
  waitFor(match: (e: ClientEvent) => boolean, timeoutMs = 15_000): Promise<ClientEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no matching client event within ${timeoutMs} ms; seen: ${JSON.stringify(this.events)}`)), timeoutMs);
      const check = () => {
        const e = this.events.find(match);
        if (e) done(undefined, e);
        else if (this.exited) done(new Error(`client exited; seen: ${JSON.stringify(this.events)}`));
      };
      const done = (err?: Error, e?: ClientEvent) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (err) reject(err);
        else resolve(e!);
      };
      this.listeners.add(check);
      check();
    });
  }

  async call(op: Record<string, unknown>): Promise<void> {
    const id = this.nextId++;
    this.child.stdin!.write(`${JSON.stringify({ ...op, id })}\n`);
    const result = await this.waitFor((e) => (e.ev === 'done' || e.ev === 'failed') && e.id === id);
    if (result.ev === 'failed') throw new Error(`${String(op.op)} failed: ${String(result.message)}`);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
}
