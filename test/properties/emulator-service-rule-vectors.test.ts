import { signHs256, verifyHs256 } from '../../emulator/auth/hs256';
import { parseServiceConnectionString } from '../../emulator/core/connection-string';
import { isValidGroupName, isValidHubName } from '../../emulator/core/name-rules';
import { ConfigError } from '../../emulator/core/service-errors';
import { isStrictBase64 } from '../../emulator/core/strict-base64';
import { ceSignature } from '../../emulator/upstream/ce-signature';
import { nameOfLength, serviceRuleVectors as v } from '../support/vectors/service-rules';

/** The emulator's own service-side rules against the shared public-doc vectors (test/support/vectors). */
describe('emulator service rules match the public-doc vectors', () => {
  it.each(v.ceSignature.cases)('ce-signature for connection id $connectionId', ({ connectionId, keys, header }) => {
    expect(ceSignature(connectionId, keys)).toBe(header);
  });

  it('ce-signature carries one entry per key, primary first', () => {
    const { connectionId, keys, header } = v.ceSignature.keyRotation;
    expect(ceSignature(connectionId, keys)).toBe(header);
  });

  it.each(v.hs256.cases)('HS256 signs and verifies the documented token', ({ key, payload, token }) => {
    expect(signHs256(payload, key)).toBe(token);
    // The example has no exp; the service requires one, so the verifier refuses it for that reason only.
    expect(verifyHs256(token, { keys: [key], audience: () => true })).toEqual({ ok: false, reason: 'missing-exp' });
    expect(verifyHs256(token, { keys: ['another-key'], audience: () => true })).toEqual({ ok: false, reason: 'bad-signature' });
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
    const parsed = parseServiceConnectionString(value, 'test');
    expect(parsed.endpoint.origin).toBe(origin);
    expect(parsed.accessKey).toBe(accessKey);
  });

  it.each(v.connectionStrings.invalid)('connection string %s is refused with a ConfigError', (value) => {
    expect(() => parseServiceConnectionString(value, 'test')).toThrow(ConfigError);
  });
});
