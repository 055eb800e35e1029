/**
 * `npm run start:keyless -- --signalr` end to end: Azure SignalR Service as `azd up` deploys it with
 * enableSignalR, on one machine. The app negotiates with a temporary key the service hands to its managed
 * identity (GET /api/auth/accessKey), calls the REST data plane with its Entra token, and accepts upstream
 * events carrying the SignalR identity's token; official @microsoft/signalr clients connect over TLS.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { DEVELOPMENT_KEY } from '../../../emulator/config';
import {
  authoritySigned as signedByAuthority,
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

let stack: KeylessStack;
let caDir: string;
let signalr: string;
let cookie: string;
const clients: ChatClientProcess[] = [];

beforeAll(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'keyless-signalr-ca-'));
  stack = await startKeylessStack(caDir, {}, ['--signalr']);
  signalr = stack.signalrServiceUri!;
  cookie = await signIn(stack.functionsBase, 'alice');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack?.stop();
  rmSync(caDir, { recursive: true, force: true });
});

const entra = () => stack.emulatorConfig.entra as typeof stack.emulatorConfig.entra & { signalRIdentity: { principalId: string } };
const now = () => Math.floor(Date.now() / 1000);

function client(userCookie: string, transport: string, protocol: string): ChatClientProcess {
  const c = new ChatClientProcess(`${stack.functionsBase}/api/signalr`, userCookie, join(caDir, 'ca.pem'), 'keyless-signalr-client.cjs', [transport, protocol]);
  clients.push(c);
  return c;
}

const authoritySigned = (claims: Record<string, unknown>) => signedByAuthority(caDir, claims);
const signalrClaims = (over: Record<string, unknown> = {}) => managedIdentityClaims(stack, 'https://signalr.azure.com', over);
const identityToken = (resource: string) => managedIdentityToken(stack, resource);

const sendToAll = (authorization: string) =>
  httpsRequest(`${signalr}/api/hubs/chat/:send?api-version=2022-06-01`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'message', arguments: [{ from: 'test', text: 'x' }] }),
    ca: stack.caPem,
  });

describe('npm run start:keyless -- --signalr', () => {
  it("names both of the emulator's ports before starting, and its banner names each service with its port", () => {
    const out = stack.process.stdout();
    const webPubSubPort = new URL(stack.serviceUri).port;
    const signalrPort = new URL(signalr).port;
    expect(out).toMatch(new RegExp(`Starting the local Web PubSub and SignalR Service \\(emulator, keyless\\) on ports ${webPubSubPort} and ${signalrPort} `));
    expect(out).toMatch(new RegExp(`SignalR: +https://localhost:${signalrPort} +\\(local SignalR Service on port ${signalrPort}`));
  });
});

describe('chat over keyless SignalR Service', () => {
  it('negotiate answers a redirect whose token names a temporary key of the service (kid), not an access key', async () => {
    const res = await fetch(`${stack.functionsBase}/api/signalr/negotiate?negotiateVersion=1`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; accessToken: string };
    expect(body.url).toBe(`${signalr}/client/?hub=chat`);
    expect(decodeProtectedHeader(body.accessToken)).toMatchObject({ alg: 'HS256', kid: expect.any(String) });
    // Log lines reach stdout a few milliseconds after the reply (the emulator writes them in batches): wait for them.
    await stack.process.waitForOutput(/signalr auth accessKey -> 200/);
    // The app asked for its Entra token for the SignalR data plane, through the managed-identity endpoint.
    await stack.process.waitForOutput(/entra token 200 resource=https:\/\/signalr\.azure\.com/);
  });

  it('official clients connect (WebSockets + JSON, Long Polling + MessagePack) and receive a publish through the REST data plane', async () => {
    const alice = client(cookie, 'WebSockets', 'json');
    const bob = client(await signIn(stack.functionsBase, 'bob'), 'LongPolling', 'messagepack');
    await Promise.all([alice.call({ op: 'start' }), bob.call({ op: 'start' })]);
    const res = await fetch(`${stack.functionsBase}/api/signalr/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'message', arguments: [{ from: 'curl', text: 'published keyless' }] }),
    });
    expect(res.status).toBe(202);
    const isPublished = (e: Record<string, unknown>) => e.ev === 'message' && (e.data as { text?: string }).text === 'published keyless';
    await alice.waitFor(isPublished);
    await bob.waitFor(isPublished);
  });

  it("a client's send goes upstream with the SignalR identity's token, which the app verifies, and the chat reaches the others", async () => {
    const [alice, bob] = clients;
    await alice!.call({ op: 'send', target: 'message', args: [{ text: 'hello over keyless SignalR' }] });
    const got = await bob!.waitFor((e) => e.ev === 'message' && (e.data as { text?: string }).text === 'hello over keyless SignalR');
    expect((got.data as { from: string }).from).toEqual(expect.any(String));
    // The service obtained a token of its own identity for the app registration (the upstream's auth resource).
    await stack.process.waitForOutput(new RegExp(`entra issued a token of the SignalR Service identity for ${entra().applications[0]!.appId}`));
    // The emulator logs the upstream's answer when it arrives, which can be after the chat reached bob.
    await stack.process.waitForOutput(/signalr upstream messages\/message hub=chat id=\S+ -> 200/);
  });
});

describe('the SignalR service refuses (local auth disabled, Entra RBAC)', () => {
  it("control: the app identity's token (SignalR Service Owner) is accepted", async () => {
    expect((await sendToAll(`Bearer ${await identityToken('https://signalr.azure.com')}`)).status).toBe(202);
  });

  it('a token of a principal without a SignalR role → 403, for REST and for the temporary key', async () => {
    const stranger = randomUUID();
    const token = await authoritySigned(signalrClaims({ oid: stranger, sub: stranger }));
    const res = await sendToAll(`Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/SignalR Service Owner/);
    const key = await httpsRequest(`${signalr}/api/auth/accessKey?api-version=2024-12-01`, { headers: { authorization: `Bearer ${token}` }, ca: stack.caPem });
    expect(key.status).toBe(403);
  });

  it('a token for the Web PubSub audience → 401', async () => {
    const res = await sendToAll(`Bearer ${await identityToken('https://webpubsub.azure.com')}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/audience/);
  });

  it('an access-key REST token → 401 (disableLocalAuth)', async () => {
    const url = `${signalr}/api/hubs/chat/:send`;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(url)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(DEVELOPMENT_KEY));
    const res = await sendToAll(`Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/disableLocalAuth/);
  });

  it('a client token signed with an access key (no temporary key) → negotiate 401', async () => {
    const token = await new SignJWT({ nameid: 'mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(`${signalr}/client/?hub=chat`)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(DEVELOPMENT_KEY));
    const res = await httpsRequest(`${signalr}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      ca: stack.caPem,
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/disableLocalAuth/);
  });
});

describe("the app refuses SignalR upstream requests without the SignalR identity's token", () => {
  const upstream = (headers: Record<string, string>) =>
    fetch(`${stack.functionsBase}/api/signalr/events`, {
      method: 'POST',
      headers: { 'X-ASRS-Hub': 'chat', 'X-ASRS-Connection-Id': 'c1', 'X-ASRS-Category': 'connections', 'X-ASRS-Event': 'connected', ...headers },
    });
  const v2 = (over: Record<string, unknown> = {}) => serviceIdentityClaims(stack, entra().signalRIdentity.principalId, over);

  it('control: a token of the SignalR identity for the app registration is accepted', async () => {
    expect((await upstream({ authorization: `Bearer ${await authoritySigned(v2())}` })).status).toBe(200);
  });
  it('an X-ASRS-Signature with the development key and no token → 401', async () => {
    const signature = `sha256=${createHmac('sha256', DEVELOPMENT_KEY).update('c1').digest('hex')}`;
    expect((await upstream({ 'X-ASRS-Signature': signature })).status).toBe(401);
  });
  it("the Web PubSub identity's token (another oid) → 401", async () => {
    const res = await upstream({ authorization: `Bearer ${await authoritySigned(v2({ oid: entra().serviceIdentity.principalId }))}` });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/not issued to this SignalR Service resource/);
  });
});
