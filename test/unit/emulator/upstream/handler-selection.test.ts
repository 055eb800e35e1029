import type { EventHandlerSettings } from '../../../../emulator/config';
import { matchesUserEventPattern, resolveUrlTemplate, selectHandler, urlForLog } from '../../../../emulator/upstream/handler-selection';

const handlers: EventHandlerSettings[] = [
  { urlTemplate: 'http://a/', userEventPattern: 'chat, Typing', systemEvents: ['connect'] },
  { urlTemplate: 'http://b/', userEventPattern: '*', systemEvents: ['connected', 'disconnected'] },
  { urlTemplate: 'http://c/', userEventPattern: '*', systemEvents: ['connect', 'connected', 'disconnected'] },
];

describe('selectHandler', () => {
  it.each([
    [{ kind: 'system', name: 'connect' }, 'http://a/'],
    [{ kind: 'system', name: 'connected' }, 'http://b/'],
    [{ kind: 'user', name: 'CHAT' }, 'http://a/'],
    [{ kind: 'user', name: 'typing' }, 'http://a/'],
    [{ kind: 'user', name: 'message' }, 'http://b/'],
  ] as const)('%j goes to the first matching handler, %s', (event, url) => {
    expect(selectHandler(handlers, event)?.urlTemplate).toBe(url);
  });

  it('finds nothing when no handler subscribes', () => {
    expect(selectHandler([handlers[0]!], { kind: 'user', name: 'message' })).toBeUndefined();
    expect(selectHandler([], { kind: 'system', name: 'connect' })).toBeUndefined();
  });
});

describe('matchesUserEventPattern', () => {
  it.each([
    ['*', 'x', true],
    ['a,b', 'b', true],
    ['a', 'ab', false],
    ['', 'a', false],
    [' , ', 'a', false],
  ])('%j vs %s → %s', (pattern, name, expected) => {
    expect(matchesUserEventPattern(pattern, name)).toBe(expected);
  });
});

describe('resolveUrlTemplate', () => {
  it('fills {hub} and {event} URL-escaped, case-insensitively', () => {
    expect(resolveUrlTemplate('http://h/api/{hub}/{Event}?e={event}', 'chat', 'a b/c')).toBe('http://h/api/chat/a%20b%2Fc?e=a%20b%2Fc');
  });
  it('drops the query for logs', () => {
    expect(urlForLog('http://h/x?code=secret')).toBe('http://h/x');
  });
});
