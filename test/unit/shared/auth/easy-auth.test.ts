import { readEasyAuthUserId } from '../../../../shared/auth/easy-auth';
import { UnauthorizedError } from '../../../../shared/http/errors';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

describe('readEasyAuthUserId', () => {
  it('prefers x-ms-client-principal-id', () => {
    expect(readEasyAuthUserId(new Headers({ 'x-ms-client-principal-id': 'id-1', 'x-ms-client-principal': b64({ userId: 'other' }) }))).toBe('id-1');
  });
  it('reads the Static Web Apps shape', () => {
    expect(
      readEasyAuthUserId(
        new Headers({ 'x-ms-client-principal': b64({ identityProvider: 'github', userId: 'swa-1', userDetails: 'a', userRoles: ['anonymous'] }) }),
      ),
    ).toBe('swa-1');
  });
  it('reads the App Service shape (name identifier claim)', () => {
    const principal = {
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'roles',
      claims: [
        { typ: 'name', val: 'Alice' },
        { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: 'nid-1' },
      ],
    };
    expect(readEasyAuthUserId(new Headers({ 'x-ms-client-principal': b64(principal) }))).toBe('nid-1');
  });
  it.each([
    ['no headers', {}],
    ['not base64 JSON', { 'x-ms-client-principal': '###' }],
    ['no user id in it', { 'x-ms-client-principal': b64({ claims: [{ typ: 'name', val: 'x' }] }) }],
  ])('401 when %s', (_n, headers) => {
    expect(() => readEasyAuthUserId(new Headers(headers as Record<string, string>))).toThrow(UnauthorizedError);
  });
});
