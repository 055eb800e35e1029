import { readUpstreamTokenSettings, upstreamTokenSettingNames, type UpstreamTokenSpec } from '../../../../shared/auth/upstream-token-settings';

const GUID = '11111111-2222-3333-4444-555555555555';
const spec: UpstreamTokenSpec = { prefix: 'XToken', audienceHint: 'the resource', callerHint: 'the caller' };

function read(env: Record<string, string>, s: UpstreamTokenSpec = spec) {
  const problems: string[] = [];
  const settings = readUpstreamTokenSettings((n) => env[n], s, problems);
  return { settings, problems };
}

describe('readUpstreamTokenSettings', () => {
  it('names five settings under one prefix', () => {
    expect(upstreamTokenSettingNames('XToken')).toEqual(['XTokenTenantId', 'XTokenAudience', 'XTokenCallerObjectId', 'XTokenJwksUrl', 'XTokenIssuer']);
  });

  it('is off when nothing is set and nothing requires it', () => {
    expect(read({})).toEqual({ settings: undefined, problems: [] });
  });

  it('reports each missing setting with the reason it is required', () => {
    expect(read({}, { ...spec, requiredBecause: 'required because keyless' }).problems).toEqual([
      'XTokenTenantId: required because keyless',
      'XTokenAudience: required because keyless (the resource)',
      'XTokenCallerObjectId: required because keyless (the caller)',
    ]);
  });

  it('refuses a JWKS URL over plain http except on loopback, and a caller that is not a GUID', () => {
    const base = { XTokenTenantId: 't', XTokenAudience: 'a' };
    expect(read({ ...base, XTokenCallerObjectId: GUID, XTokenJwksUrl: 'http://idp.example.com/keys' }).problems).toEqual([
      'XTokenJwksUrl: must be an https:// URL',
    ]);
    expect(read({ ...base, XTokenCallerObjectId: GUID, XTokenJwksUrl: 'http://127.0.0.1:9/keys' }).problems).toEqual([]);
    expect(read({ ...base, XTokenCallerObjectId: 'x' }).problems).toEqual(['XTokenCallerObjectId: must be a GUID (the caller)']);
  });

  it('an explicit issuer replaces the two default Entra issuers', () => {
    const { settings } = read({ XTokenTenantId: 't', XTokenAudience: 'a', XTokenCallerObjectId: GUID, XTokenIssuer: 'https://issuer/' });
    expect(settings?.issuers).toEqual(['https://issuer/']);
  });
});
