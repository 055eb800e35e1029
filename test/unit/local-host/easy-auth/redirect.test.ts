import { safeRedirectPath } from '../../../../local-host/easy-auth/redirect';

describe('post-login / post-logout redirect', () => {
  it('uses the fallback when none is given', () => {
    expect(safeRedirectPath(null, '/')).toBe('/');
    expect(safeRedirectPath('', '/.auth/logout/complete')).toBe('/.auth/logout/complete');
  });

  it('accepts a path on this site, with query and fragment', () => {
    expect(safeRedirectPath('/api/chat/?room=ops#x', '/')).toBe('/api/chat/?room=ops#x');
    expect(safeRedirectPath('/a/../b', '/')).toBe('/b');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'http:/evil.example',
  ])('refuses %j (another site or ambiguous)', (value) => {
    expect(safeRedirectPath(value, '/')).toBeUndefined();
  });
});
