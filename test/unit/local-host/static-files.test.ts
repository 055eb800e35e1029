import { join } from 'node:path';
import { contentTypeFor, resolveStaticPath } from '../../../local-host/static-files';

const root = '/srv/web';

describe('resolveStaticPath', () => {
  it.each([
    ['/', join(root, 'index.html')],
    ['/chat.js', join(root, 'chat.js')],
    ['/sub/', join(root, 'sub', 'index.html')],
    ['/a%20b.css', join(root, 'a b.css')],
  ])('%s → %s', (path, file) => {
    expect(resolveStaticPath(root, path)).toBe(file);
  });

  it.each(['/../etc/passwd', '/%2e%2e/etc/passwd', '/a/%2E%2E/%2E%2E/x', '/..%2fetc', '/%00', '/a%5c..%5cb', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toBeUndefined();
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['chat.JS', 'text/javascript; charset=utf-8'],
    ['x.unknown', 'application/octet-stream'],
  ])('%s', (file, type) => expect(contentTypeFor(file)).toBe(type));
});
