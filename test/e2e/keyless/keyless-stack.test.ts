/**
 * `npm run start:keyless` end to end: the configuration `azd up` deploys, on one machine. The app runs
 * unchanged with infra's app settings; @azure/identity gets managed-identity tokens from the local
 * authority and @azure/web-pubsub calls the emulator over TLS with them; the official client connects
 * over WSS. Token lifetimes are 5 s and the emulator tolerates no clock skew, so expiries bite.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { signHs256 } from '../../../emulator/auth/hs256';
import { DEVELOPMENT_KEY } from '../../../emulator/config';
import { eventHeaders } from '../../support/functions-harness';
import {
  authoritySigned,
  ChatClientProcess,
  httpsRequest,
  managedIdentityClaims,
  managedIdentityToken,
  serviceIdentityClaims,
  signIn,
  startKeylessStack,
  type KeylessStack,
} from '../../support/keyless-stack';

jest.setTimeout(90_000);

const LIFETIME = 5;
let stack: KeylessStack;
let caDir: string;
const clients: ChatClientProcess[] = [];
let alice: ChatClientProcess;
let bob: ChatClientProcess;

beforeAll(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'keyless-ca-'));
  stack = await startKeylessStack(caDir, { KEYLESS_TOKEN_LIFETIME_SECONDS: String(LIFETIME), KEYLESS_CLOCK_SKEW_SECONDS: '0' });
  const negotiate = `${stack.functionsBase}/api/negotiate`;
  alice = new ChatClientProcess(negotiate, await signIn(stack.functionsBase, 'alice'), join(caDir, 'ca.pem'));
  bob = new ChatClientProcess(negotiate, await signIn(stack.functionsBase, 'bob'), join(caDir, 'ca.pem'));
  clients.push(alice, bob);
  await Promise.all(clients.map((c) => c.call({ op: 'start' })));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack?.stop();
  rmSync(caDir, { recursive: true, force: true });
});

const text = (e: Record<string, unknown>) => (e.data as { text?: string } | undefined)?.text;
const entra = () => stack.emulatorConfig.entra;
const now = () => Math.floor(Date.now() / 1000);

const sign = (claims: Record<string, unknown>, key?: KeyObject) => authoritySigned(caDir, claims, key);
const identityToken = (resource: string) => managedIdentityToken(stack, resource);
const v1Claims = (over: Record<string, unknown> = {}) => managedIdentityClaims(stack, 'https://webpubsub.azure.com', over);

function sendToAll(authorization: string) {
  const url = `${stack.serviceUri}/api/hubs/chat/:send?api-version=2024-01-01`;
  return httpsRequest(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{"text":"x"}', ca: stack.caPem });
}

describe('chat through the keyless stack', () => {
  it('two official clients, signed in through App Service Authentication, chat over WSS through the functions app', async () => {
    const connected = await bob.waitFor((e) => e.ev === 'connected');
    expect(connected.userId).toEqual(expect.any(String));
    await alice.call({ op: 'event', event: 'message', data: { text: 'hello from alice' } });
    await bob.waitFor((e) => e.ev === 'server-message' && text(e) === 'hello from alice');
    // Rooms are joined through the hub's `join` event: clients hold no group roles (least privilege).
    await bob.call({ op: 'event', event: 'join', data: { group: 'ops' } });
    await alice.call({ op: 'event', event: 'message', data: { text: 'ops only', group: 'ops' } });
    const inGroup = await bob.waitFor((e) => e.ev === 'group-message' && text(e) === 'ops only');
    expect(inGroup.group).toBe('ops');
  });

  it("/api/publish delivers (REST with the app identity's Entra token)", async () => {
    const res = await fetch(`${stack.functionsBase}/api/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { from: 'curl', text: 'from the publish API' } }),
    });
    expect(res.status).toBe(202);
    await bob.waitFor((e) => e.ev === 'server-message' && text(e) === 'from the publish API');
  });

  it("keeps working across several token expiries (app REST tokens and the service's upstream tokens are renewed)", async () => {
    const log = () => stack.process.stdout();
    const count = (re: RegExp) => (log().match(re) ?? []).length;
    const appTokensBefore = count(/entra token 200 resource=https:\/\/webpubsub\.azure\.com/g);
    const serviceTokensBefore = count(/entra issued a token of the service identity/g);
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, (LIFETIME / 2 + 0.5) * 1000));
      const publishText = `publish round ${round}`;
      const res = await fetch(`${stack.functionsBase}/api/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { text: publishText } }),
      });
      expect(res.status).toBe(202);
      await bob.waitFor((e) => e.ev === 'server-message' && text(e) === publishText);
      await alice.call({ op: 'event', event: 'message', data: { text: `chat round ${round}` } });
      await bob.waitFor((e) => e.ev === 'server-message' && text(e) === `chat round ${round}`);
    }
    // ~12 s of 5-second tokens: each side fetched new ones (no token outlived its lifetime: skew is 0).
    // The processes write their log lines in batches (every 20 ms at most): the last lines may still be on
    // their way, so the counts are read until they hold or a second has passed.
    const renewed = () => [
      count(/entra token 200 resource=https:\/\/webpubsub\.azure\.com/g) - appTokensBefore,
      count(/entra issued a token of the service identity/g) - serviceTokensBefore,
    ];
    for (const until = Date.now() + 1000; Date.now() < until && renewed().some((n) => n < 2);) await new Promise((r) => setTimeout(r, 25));
    const [app, service] = renewed();
    expect(app).toBeGreaterThanOrEqual(2);
    expect(service).toBeGreaterThanOrEqual(2);
  });
});

// The service's 401s have no body; the reason is in the Bearer challenge (WWW-Authenticate).
describe('the service refuses (local auth disabled, Entra RBAC)', () => {
  it('control: a token of the app identity from the managed-identity endpoint is accepted', async () => {
    expect((await sendToAll(`Bearer ${await identityToken('https://webpubsub.azure.com')}`)).status).toBe(202);
  });

  it('REST with an access-key token → 401', async () => {
    const url = `${stack.serviceUri}/api/hubs/chat/:send?api-version=2024-01-01`;
    const res = await sendToAll(`Bearer ${signHs256({ aud: url, exp: now() + 600 }, DEVELOPMENT_KEY)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/disableLocalAuth/);
  });

  it('a client token signed with an access key → WebSocket upgrade 401', async () => {
    const token = signHs256({ aud: `${stack.serviceUri}/client/hubs/chat`, exp: now() + 600, sub: 'mallory' }, DEVELOPMENT_KEY);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${stack.serviceUri.replace('https', 'wss')}/client/hubs/chat?access_token=${token}`, { ca: stack.caPem });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('connected with an access-key token')));
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
  });

  it('a token of a principal without a Web PubSub role → 403', async () => {
    const stranger = randomUUID();
    const res = await sendToAll(`Bearer ${await sign(v1Claims({ oid: stranger, sub: stranger }))}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Web PubSub Service Owner/);
  });

  it('a token for another audience (the app registration) → 401', async () => {
    const res = await sendToAll(`Bearer ${await identityToken(entra().applications[0]!.appId)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/audience/);
  });

  it('a token from another issuer → 401', async () => {
    const res = await sendToAll(`Bearer ${await sign(v1Claims({ iss: `https://sts.windows.net/${entra().tenantId}/` }))}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/iss/);
  });

  it('an expired token (a real one, after its lifetime) → 401', async () => {
    const token = await identityToken('https://webpubsub.azure.com');
    expect((await sendToAll(`Bearer ${token}`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, (LIFETIME + 1.5) * 1000));
    const res = await sendToAll(`Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/expired/);
  });

  it("a token signed by another key under the authority's kid → 401", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const res = await sendToAll(`Bearer ${await sign(v1Claims(), privateKey)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/signature/);
  });
});

describe("the app refuses upstream requests without the service identity's token", () => {
  const v2Service = (over: Record<string, unknown> = {}) => serviceIdentityClaims(stack, entra().serviceIdentity.principalId, over);
  const connected = (authorization?: string) =>
    fetch(`${stack.functionsBase}/api/eventhandler`, {
      method: 'POST',
      headers: { ...eventHeaders('azure.webpubsub.sys.connected', { userId: 'alice', key: null }), ...(authorization ? { authorization } : {}) },
      body: '{}',
    });

  it('control: a token of the service identity for the app registration is accepted', async () => {
    expect((await connected(`Bearer ${await sign(v2Service())}`)).status).toBeLessThan(300);
  });
  it('no bearer token → 401', async () => {
    expect((await connected()).status).toBe(401);
  });
  it('another audience → 401', async () => {
    expect((await connected(`Bearer ${await sign(v2Service({ aud: 'https://webpubsub.azure.com' }))}`)).status).toBe(401);
  });
  it("another oid (the app's own identity, from the managed-identity endpoint) → 401", async () => {
    const res = await connected(`Bearer ${await identityToken(entra().applications[0]!.appId)}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/not issued to this Web PubSub resource/);
  });
  it('an expired token → 401', async () => {
    // The app tolerates 5 minutes of clock skew, as Entra-protected APIs do.
    const res = await connected(`Bearer ${await sign(v2Service({ iat: now() - 1200, nbf: now() - 1200, exp: now() - 600 }))}`);
    expect(res.status).toBe(401);
  });
});
