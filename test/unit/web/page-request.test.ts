import { pageFileTypes, resolvePageRequest } from '../../../web/page-request';

const available = new Set(Object.keys(pageFileTypes));

describe('resolvePageRequest', () => {
  it.each([
    [undefined, '/api/chat/', { kind: 'file', name: 'index.html' }],
    [undefined, '/api/chat', { kind: 'redirect', location: '/api/chat/' }],
    ['', '/api/chat/', { kind: 'file', name: 'index.html' }],
    ['chat.js', '/api/chat/chat.js', { kind: 'file', name: 'chat.js' }],
    ['chat.css', '/api/chat/chat.css', { kind: 'file', name: 'chat.css' }],
    ['../../local.settings.json', '/api/chat/x', { kind: 'not-found' }],
    ['sub/chat.js', '/api/chat/sub/chat.js', { kind: 'not-found' }],
    ['chat.js.map', '/api/chat/chat.js.map', { kind: 'not-found' }],
  ])('path %j at %s', (path, url, answer) => {
    expect(resolvePageRequest(path, url, available)).toEqual(answer);
  });

  it('does not serve a file that was not built', () => {
    expect(resolvePageRequest('chat.js', '/api/chat/chat.js', new Set(['index.html']))).toEqual({ kind: 'not-found' });
  });
});
