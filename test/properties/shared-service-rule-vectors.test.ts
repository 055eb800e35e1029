import { isStrictBase64 } from '../../shared/validation/base64';
import { parseConnectionString } from '../../shared/config/connection-string';
import { ConfigError } from '../../shared/http/errors';
import { hmacSha256 } from '../../shared/auth/hmac';
import { isValidGroupName, isValidHubName } from '../../shared/validation/names';
import { signConnectionId, verifySignature } from '../../shared/auth/upstream-signature';
import { nameOfLength, serviceRuleVectors as v } from '../support/vectors/service-rules';

/**
 * The app's reading of the service's rules (shared/) against the same public-doc vectors the emulator
 * is checked against (test/properties/emulator-service-rule-vectors.test.ts).
 */
describe('app (shared/) rules match the public-doc vectors', () => {
  it.each(v.ceSignature.cases)('signs and verifies ce-signature for connection id $connectionId', ({ connectionId, keys, header }) => {
    expect(signConnectionId(connectionId, keys)).toBe(header);
    expect(verifySignature(connectionId, header, keys)).toBe(true);
    expect(verifySignature(connectionId, header.toUpperCase().replace('SHA256=', 'sha256='), keys)).toBe(true);
    expect(verifySignature(`${connectionId}x`, header, keys)).toBe(false);
  });

  it('ce-signature carries one entry per key, primary first', () => {
    const { connectionId, keys, header } = v.ceSignature.keyRotation;
    expect(signConnectionId(connectionId, keys)).toBe(header);
  });

  it.each(v.hs256.cases)('the HS256 signature of the documented token', ({ key, token }) => {
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(hmacSha256(key, `${h}.${p}`).toString('base64url')).toBe(s);
  });

  it('hub names', () => {
    for (const name of v.hubNames.valid) expect([name, isValidHubName(name)]).toEqual([name, true]);
    for (const name of v.hubNames.invalid) expect([name, isValidHubName(name)]).toEqual([name, false]);
    expect(isValidHubName(nameOfLength(v.hubNames.validLength))).toBe(true);
    expect(isValidHubName(nameOfLength(v.hubNames.invalidLength))).toBe(false);
  });

  it('group names', () => {
    for (const name of v.groupNames.valid) expect([name, isValidGroupName(name)]).toEqual([name, true]);
    for (const name of v.groupNames.invalid) expect([name, isValidGroupName(name)]).toEqual([name, false]);
    expect(isValidGroupName('g'.repeat(v.groupNames.validLength))).toBe(true);
    expect(isValidGroupName('g'.repeat(v.groupNames.invalidLength))).toBe(false);
  });

  it('strict base64', () => {
    for (const text of v.strictBase64.valid) expect([text, isStrictBase64(text)]).toEqual([text, true]);
    for (const text of v.strictBase64.invalid) expect([text, isStrictBase64(text)]).toEqual([text, false]);
  });

  it.each(v.connectionStrings.cases)('connection string $value', ({ value, origin, accessKey }) => {
    const parsed = parseConnectionString(value);
    expect(parsed.endpoint).toBe(origin);
    expect(parsed.accessKey).toBe(accessKey);
  });

  it.each(v.connectionStrings.invalid)('connection string %s is refused with a ConfigError', (value) => {
    expect(() => parseConnectionString(value)).toThrow(ConfigError);
  });
});
