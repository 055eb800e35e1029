import { CLAIM, hasPlatformHeaders, identityFor, meDocument, principalHeaders, stripPlatformHeaders } from '../../../../local-host/easy-auth/principal';
import { createSessionSealer } from '../../../../local-host/easy-auth/session-cookie';
import { readEasyAuthUserId } from '../../../../shared/auth/easy-auth';

const directory = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e' };

describe('local App Service principal', () => {
  const session = createSessionSealer().create(identityFor('alice@contoso.com'), 1_700_000_000_000);

  it('gives a name a stable GUID object id and a distinct subject', () => {
    expect(identityFor('alice').oid).toBe(identityFor('alice').oid);
    expect(identityFor('alice').oid).not.toBe(identityFor('bob').oid);
    expect(identityFor('alice').oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(identityFor('alice').sub).not.toBe(identityFor('alice').oid);
  });

  it('encodes x-ms-client-principal as base64 JSON { auth_typ, claims, name_typ, role_typ }', () => {
    const headers = principalHeaders(session, directory);
    const principal = JSON.parse(Buffer.from(headers['x-ms-client-principal'], 'base64').toString('utf8'));
    expect(Object.keys(principal)).toEqual(['auth_typ', 'claims', 'name_typ', 'role_typ']);
    expect(principal.auth_typ).toBe('aad');
    const claim = (typ: string) => principal.claims.find((c: { typ: string }) => c.typ === typ)?.val;
    expect(claim(CLAIM.objectId)).toBe(session.oid);
    expect(claim(CLAIM.nameIdentifier)).toBe(session.sub);
    expect(claim(CLAIM.tenantId)).toBe(directory.tenantId);
    expect(claim('aud')).toBe(directory.clientId);
    expect(claim('iss')).toBe(`https://login.microsoftonline.com/${directory.tenantId}/v2.0`);
    expect(claim('name')).toBe('alice@contoso.com');
    expect(claim('exp')).toBe(String(session.exp));
    for (const c of principal.claims) expect(typeof c.val).toBe('string');
  });

  it('sets -id (object id), -name and -idp beside it', () => {
    expect(principalHeaders(session, directory)).toMatchObject({
      'x-ms-client-principal-id': session.oid,
      'x-ms-client-principal-name': 'alice@contoso.com',
      'x-ms-client-principal-idp': 'aad',
    });
  });

  it('puts a non-Latin-1 name into -name as its UTF-8 bytes, which fetch Headers accept', () => {
    const zoe = createSessionSealer().create(identityFor('zoë 日本'));
    const headers = new Headers(principalHeaders(zoe, directory));
    expect(Buffer.from(headers.get('x-ms-client-principal-name')!, 'latin1').toString('utf8')).toBe('zoë 日本');
  });

  it('is read by the app as the signed-in user (its object id)', () => {
    expect(readEasyAuthUserId(new Headers(principalHeaders(session, directory)))).toBe(session.oid);
    // Without the -id header the app falls back to the principal's nameidentifier claim, as App Service's shape allows.
    const { 'x-ms-client-principal-id': _id, ...rest } = principalHeaders(session, directory);
    expect(readEasyAuthUserId(new Headers(rest))).toBe(session.sub);
  });

  it('answers /.auth/me as an array with provider_name, user_claims and user_id', () => {
    const [me, ...others] = meDocument(session, directory) as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(me).toMatchObject({ provider_name: 'aad', user_id: 'alice@contoso.com' });
    expect(me!.user_claims).toEqual(expect.arrayContaining([{ typ: CLAIM.objectId, val: session.oid }]));
    expect(me).not.toHaveProperty('access_token');
  });

  it('strips every header only the platform may set, whatever its case, and keeps the rest', () => {
    const sent = {
      'x-ms-client-principal': 'forged',
      'X-MS-CLIENT-PRINCIPAL-ID': 'forged',
      'x-ms-client-principal-name': 'forged',
      'x-ms-client-principal-idp': 'aad',
      'x-ms-token-aad-id-token': 'forged',
      'x-ms-request-id': 'kept',
      cookie: 'a=b',
    };
    expect(hasPlatformHeaders(sent)).toBe(true);
    expect(stripPlatformHeaders(sent)).toEqual({ 'x-ms-request-id': 'kept', cookie: 'a=b' });
    expect(hasPlatformHeaders({ 'x-ms-request-id': 'x' })).toBe(false);
  });
});
