import { createHmac } from 'node:crypto';
import { UnauthorizedError } from '../../../../shared/http/errors';
import { signConnectionId } from '../../../../shared/auth/upstream-signature';
import { createUpstreamAuthenticator } from '../../../../shared/auth/upstream-auth';
import { jwksServer } from '../../../support/functions-harness';

const OID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';

describe('upstream authentication with access keys (docs/protocol/cloud-events.md §4)', () => {
  const auth = createUpstreamAuthenticator({ accessKeys: ['primary', 'secondary'] });
  it('accepts the primary or the secondary key', async () => {
    await expect(auth(new Headers({ 'ce-signature': signConnectionId('c1', ['primary']) }), 'c1')).resolves.toBeUndefined();
    await expect(auth(new Headers({ 'ce-signature': signConnectionId('c1', ['secondary']) }), 'c1')).resolves.toBeUndefined();
  });
  it('401 for a missing signature, another key, or another connection id', async () => {
    await expect(auth(new Headers(), 'c1')).rejects.toThrow(/missing header ce-signature/);
    await expect(auth(new Headers({ 'ce-signature': signConnectionId('c1', ['old']) }), 'c1')).rejects.toThrow(UnauthorizedError);
    await expect(auth(new Headers({ 'ce-signature': signConnectionId('c2', ['primary']) }), 'c1')).rejects.toThrow(UnauthorizedError);
  });
  it('refuses to exist without any mechanism', () => {
    expect(() => createUpstreamAuthenticator({ accessKeys: [] })).toThrow();
  });
});

describe('upstream authentication with a Microsoft Entra token (docs/protocol/cloud-events.md §9)', () => {
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  let auth: ReturnType<typeof createUpstreamAuthenticator>;
  const v2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  const v1 = `https://sts.windows.net/${TENANT}/`;
  beforeAll(async () => {
    idp = await jwksServer();
    auth = createUpstreamAuthenticator({
      accessKeys: [],
      token: { tenantId: TENANT, audience: 'api://upstream', callerObjectId: OID, jwksUrl: idp.url, issuers: [v2, v1] },
    });
  });
  afterAll(() => idp.close());
  const bearer = (t: string) => new Headers({ authorization: `Bearer ${t}` });

  it('accepts v2 and v1 issuers with the right audience and oid', async () => {
    await expect(auth(bearer(await idp.sign({ iss: v2, aud: 'api://upstream', oid: OID, tid: TENANT })), 'c')).resolves.toBeUndefined();
    await expect(auth(bearer(await idp.sign({ iss: v1, aud: 'api://upstream', oid: OID.toUpperCase() })), 'c')).resolves.toBeUndefined();
  });
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['another caller (oid)', { iss: v2, aud: 'api://upstream', oid: '00000000-0000-0000-0000-000000000000' }, /not issued to this Web PubSub resource/],
    ['no oid', { iss: v2, aud: 'api://upstream' }, /not issued/],
    ['wrong audience', { iss: v2, aud: 'https://webpubsub.azure.com', oid: OID }, /audience/],
    ['another tenant issuer', { iss: 'https://sts.windows.net/other/', aud: 'api://upstream', oid: OID }, /issuer/],
    ['another tid', { iss: v2, aud: 'api://upstream', oid: OID, tid: '00000000-0000-0000-0000-000000000000' }, /tenant/],
  ])('401 for %s', async (_n, claims, message) => {
    await expect(auth(bearer(await idp.sign(claims)), 'c')).rejects.toThrow(message);
  });
  it('401 without a bearer token', async () => {
    await expect(auth(new Headers(), 'c')).rejects.toThrow(UnauthorizedError);
  });
  it('with keys and a token configured, both must pass', async () => {
    const both = createUpstreamAuthenticator({
      accessKeys: ['k'],
      token: { tenantId: TENANT, audience: 'api://upstream', callerObjectId: OID, jwksUrl: idp.url, issuers: [v2] },
    });
    const token = await idp.sign({ iss: v2, aud: 'api://upstream', oid: OID });
    await expect(both(new Headers({ authorization: `Bearer ${token}` }), 'c')).rejects.toThrow(/ce-signature/);
    await expect(both(new Headers({ 'ce-signature': signConnectionId('c', ['k']) }), 'c')).rejects.toThrow(/Bearer/);
    await expect(both(new Headers({ authorization: `Bearer ${token}`, 'ce-signature': signConnectionId('c', ['k']) }), 'c')).resolves.toBeUndefined();
  });
});

describe('SignalR Service upstream (docs/protocol/signalr.md §5.4, §6.4)', () => {
  const sig = (key: string, id: string) => `sha256=${createHmac('sha256', key).update(id).digest('hex')}`;
  const auth = createUpstreamAuthenticator({
    accessKeys: ['primary-key', 'secondary-key'],
    signatureHeader: 'x-asrs-signature',
    serviceName: 'SignalR Service',
  });

  it('accepts either key, and a list with one good entry', async () => {
    await expect(auth(new Headers({ 'X-ASRS-Signature': sig('secondary-key', 'c1') }), 'c1')).resolves.toBeUndefined();
    await expect(auth(new Headers({ 'X-ASRS-Signature': `${sig('x', 'c1')},${sig('primary-key', 'c1')}` }), 'c1')).resolves.toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['from another key', sig('other', 'c1')],
    ['for another connection', sig('primary-key', 'c2')],
    ['malformed', 'sha256=zz'],
    ['in the Web PubSub header', 'ce'],
  ])('refuses a signature %s with 401', async (_n, signature) => {
    const h = new Headers();
    if (signature === 'ce') h.set('ce-signature', sig('primary-key', 'c1'));
    else if (signature !== undefined) h.set('X-ASRS-Signature', signature);
    await expect(auth(h, 'c1')).rejects.toMatchObject({ status: 401 });
  });

  describe('keyless: the managed-identity token of the SignalR resource', () => {
    let idp: Awaited<ReturnType<typeof jwksServer>>;
    let keyless: ReturnType<typeof createUpstreamAuthenticator>;
    const v2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    beforeAll(async () => {
      idp = await jwksServer();
      keyless = createUpstreamAuthenticator({
        accessKeys: [],
        token: { tenantId: TENANT, audience: 'api://upstream', callerObjectId: OID, jwksUrl: idp.url, issuers: [v2] },
        signatureHeader: 'x-asrs-signature',
        serviceName: 'SignalR Service',
      });
    });
    afterAll(() => idp.close());

    it('accepts the right token without any signature', async () => {
      const token = await idp.sign({ iss: v2, aud: 'api://upstream', oid: OID });
      await expect(keyless(new Headers({ authorization: `Bearer ${token}` }), 'c1')).resolves.toBeUndefined();
    });
    it('refuses a signature alone, and a token of another identity', async () => {
      await expect(keyless(new Headers({ 'X-ASRS-Signature': sig('primary-key', 'c1') }), 'c1')).rejects.toMatchObject({ status: 401 });
      const other = await idp.sign({ iss: v2, aud: 'api://upstream', oid: '00000000-0000-0000-0000-000000000000' });
      await expect(keyless(new Headers({ authorization: `Bearer ${other}` }), 'c1')).rejects.toThrow(/not issued to this SignalR Service resource/);
    });
  });
});
