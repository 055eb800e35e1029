import { SignJWT } from 'jose';
import { signHs256 } from '../../../emulator/auth/hs256';
import type { RunningEmulator } from '../../../emulator/server';
import { createNegotiateHandler } from '../../../functions/negotiate';
import { clientUrl, KEY, RawClient, serviceClient, start } from '../../support/emulator-harness';
import { invocation, request, runtimeFor } from '../../support/functions-harness';

/**
 * Named token attacks, one test each: against the live emulator (client handshake and REST API) and against
 * negotiate's jwt mode. Each forged token is refused with 401, and a genuine one is accepted as a control.
 */

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('Client token attacks on the emulator handshake', () => {
  let emulator: RunningEmulator;
  let base: string;
  let aud: (hub: string) => string;
  beforeAll(async () => {
    emulator = await start();
    base = `ws://localhost:${emulator.port}/client/hubs`;
    aud = (hub) => `http://localhost:${emulator.port}/client/hubs/${hub}`;
  });
  afterAll(() => emulator.close());

  const refused = (hub: string, token: string) => RawClient.refusal(`${base}/${hub}?access_token=${token}`, 'json.webpubsub.azure.v1');

  it('control: a genuine token connects', async () => {
    const c = await RawClient.open(`${base}/chat?access_token=${signHs256({ aud: aud('chat'), exp: now() + 60, sub: 'u' }, KEY)}`, 'json.webpubsub.azure.v1');
    expect((await c.json(0)).event).toBe('connected');
    c.close();
  });
  it('alg "none" → 401', async () => {
    expect(await refused('chat', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ aud: aud('chat'), exp: now() + 60, sub: 'u' })}.`)).toBe(401);
  });
  it('HS256 signed by another key → 401', async () => {
    expect(await refused('chat', signHs256({ aud: aud('chat'), exp: now() + 60, sub: 'u' }, 'attacker-key-0123456789-0123456789'))).toBe(401);
  });
  it('expired (beyond the 5-minute skew) → 401', async () => {
    expect(await refused('chat', signHs256({ aud: aud('chat'), exp: now() - 301, sub: 'u' }, KEY))).toBe(401);
  });
  it('not yet valid (nbf an hour ahead) → 401', async () => {
    expect(await refused('chat', signHs256({ aud: aud('chat'), exp: now() + 7200, nbf: now() + 3600, sub: 'u' }, KEY))).toBe(401);
  });
  it('wrong aud → 401', async () => {
    expect(await refused('chat', signHs256({ aud: 'http://evil.example/client/hubs/chat', exp: now() + 60, sub: 'u' }, KEY))).toBe(401);
  });
  it('a REST token used as a client token → 401', async () => {
    expect(await refused('chat', signHs256({ aud: `http://localhost:${emulator.port}/api/hubs/chat/:send`, exp: now() + 60 }, KEY))).toBe(401);
  });
  it('a token for hub A used on hub B → 401', async () => {
    const url = await clientUrl(emulator, 'hubA', { userId: 'u' });
    const token = new URL(url).searchParams.get('access_token')!;
    expect(await refused('hubB', token)).toBe(401);
    const ok = await RawClient.open(url, 'json.webpubsub.azure.v1');
    ok.close();
  });
  it('a client token used against the REST API → 401, and the send does not happen', async () => {
    const listener = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'listener' }), 'json.webpubsub.azure.v1');
    await listener.json(0);
    const clientToken = new URL(await clientUrl(emulator, 'chat', { userId: 'u' })).searchParams.get('access_token')!;
    const res = await fetch(`http://localhost:${emulator.port}/api/hubs/chat/:send?api-version=2024-12-01`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientToken}`, 'content-type': 'text/plain' },
      body: 'forged',
    });
    expect(res.status).toBe(401);
    // Control through the SDK: the next message the listener gets is the genuine one, not "forged".
    await serviceClient(emulator, 'chat').sendToAll('genuine', { contentType: 'text/plain' });
    expect((await listener.find((m) => m.type === 'message')).data).toBe('genuine');
    listener.close();
  });
});

describe('Bearer token attacks on negotiate (NegotiateAuth=jwt)', () => {
  const secret = 'negotiate-hs256-secret-0123456789-0123456789';
  const env = { NegotiateAuth: 'jwt', NegotiateJwtSecret: secret, NegotiateJwtIssuer: 'https://issuer.example', NegotiateJwtAudience: 'api://chat' };
  const handler = createNegotiateHandler(runtimeFor(env));
  const key = new TextEncoder().encode(secret);
  const jwt = (claims: Record<string, unknown>, k: Uint8Array = key) => {
    const t = new SignJWT({ sub: 'alice', ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://issuer.example').setAudience('api://chat');
    if (claims.exp === undefined) t.setExpirationTime('1h');
    return t.sign(k);
  };
  const negotiate = async (token: string, query = '') => {
    const { context } = invocation();
    const response = await handler(
      request({ method: 'GET', url: `http://localhost/api/negotiate${query}`, headers: { authorization: `Bearer ${token}` } }),
      context,
    );
    return { status: response.status ?? 200, body: String(response.body ?? '') };
  };

  it('control: a genuine token negotiates for its subject, ignoring ?userId=', async () => {
    const res = await negotiate(await jwt({}), '?userId=mallory');
    expect(res.status).toBe(200);
    const token = (JSON.parse(res.body) as { token: string }).token;
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub).toBe('alice');
  });
  it('alg "none" → 401', async () => {
    expect(
      (await negotiate(`${b64({ alg: 'none' })}.${b64({ sub: 'alice', iss: 'https://issuer.example', aud: 'api://chat', exp: now() + 60 })}.`)).status,
    ).toBe(401);
  });
  it('HS256 signed by another key → 401', async () => {
    expect((await negotiate(await jwt({}, new TextEncoder().encode('another-secret-0123456789-0123456789-xx')))).status).toBe(401);
  });
  it('expired → 401', async () => {
    expect((await negotiate(await jwt({ exp: now() - 3600 }))).status).toBe(401);
  });
  it('not yet valid → 401', async () => {
    expect((await negotiate(await jwt({ nbf: now() + 3600 }))).status).toBe(401);
  });
  it('wrong aud → 401, and the token is not echoed', async () => {
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.example')
      .setAudience('api://other')
      .setExpirationTime('1h')
      .sign(key);
    const res = await negotiate(token);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain(token);
  });
});
