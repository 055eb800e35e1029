import {
  buildRouteTable,
  createRouteCache,
  matchRoute,
  parseRouteTemplate,
  routeCacheMaxPath,
  routeCacheSize,
  satisfiesConstraint,
} from '../../../local-host/route-table';
import type { FunctionMetadata } from '../../../local-host/core-types';

function http(name: string, options: { route?: string; methods?: string[]; authLevel?: string } = {}): FunctionMetadata {
  return {
    name,
    bindings: {
      httpTrigger1a2b: {
        type: 'httpTrigger',
        direction: 'in',
        methods: options.methods ?? ['GET', 'POST'],
        authLevel: options.authLevel ?? 'anonymous',
        ...(options.route !== undefined ? { route: options.route } : {}),
      },
      $return: { type: 'http', direction: 'out' },
    },
  };
}

describe('parseRouteTemplate', () => {
  it.each([
    ['negotiate', [{ kind: 'literal', text: 'negotiate' }]],
    [
      '/api/items/{id}/',
      [
        { kind: 'literal', text: 'api' },
        { kind: 'literal', text: 'items' },
        { kind: 'param', name: 'id', optional: false },
      ],
    ],
    [
      'hello/{name?}',
      [
        { kind: 'literal', text: 'hello' },
        { kind: 'param', name: 'name', optional: true },
      ],
    ],
    [
      'items/{id:int}',
      [
        { kind: 'literal', text: 'items' },
        { kind: 'param', name: 'id', optional: false, constraint: 'int' },
      ],
    ],
    [
      'chat/{*path}',
      [
        { kind: 'literal', text: 'chat' },
        { kind: 'catchAll', name: 'path' },
      ],
    ],
    ['', []],
  ])('parses %j', (template, expected) => {
    expect(parseRouteTemplate(template)).toEqual(expected);
  });

  it('rejects a segment that mixes text and a parameter', () => {
    expect(() => parseRouteTemplate('files/{name}.{ext}')).toThrow(SyntaxError);
  });
});

describe('buildRouteTable', () => {
  it('prefixes routes, defaults the route to the function name and keeps the trigger binding name', () => {
    const table = buildRouteTable([http('negotiate'), http('publish', { route: 'publish', methods: ['post'] })], 'api');
    expect(table.routes.map((r) => [r.functionName, r.template, r.methods, r.triggerBindingName])).toEqual([
      ['negotiate', 'api/negotiate', ['GET', 'POST'], 'httpTrigger1a2b'],
      ['publish', 'api/publish', ['POST'], 'httpTrigger1a2b'],
    ]);
  });

  it('allows an empty route prefix', () => {
    const table = buildRouteTable([http('hello', { route: 'hello/{name}' })], '');
    expect(table.routes[0]!.template).toBe('hello/{name}');
    expect(matchRoute(table, 'GET', '/hello/bob')?.params).toEqual({ name: 'bob' });
  });

  it('lists non-HTTP triggers as unsupported instead of routing them', () => {
    const timer: FunctionMetadata = { name: 'tick', bindings: { timerTrigger9: { type: 'timerTrigger', direction: 'in' } } };
    const table = buildRouteTable([timer, http('negotiate')], 'api');
    expect(table.unsupported).toEqual([{ functionName: 'tick', triggerType: 'timerTrigger' }]);
    expect(table.routes).toHaveLength(1);
  });
});

describe('matchRoute', () => {
  const table = buildRouteTable(
    [
      http('byName', { route: 'items/{name}', methods: ['GET'] }),
      http('byId', { route: 'items/{id:int}', methods: ['GET'] }),
      http('latest', { route: 'items/latest', methods: ['GET'] }),
      http('hello', { route: 'hello/{name?}' }),
      http('web', { route: 'chat/{*path}', methods: ['GET'] }),
      http('negotiate'),
    ],
    'api',
  );

  it.each([
    ['GET', '/api/items/latest', 'latest', {}],
    ['GET', '/api/items/42', 'byId', { id: '42' }],
    ['GET', '/api/items/abc', 'byName', { name: 'abc' }],
    ['GET', '/api/items/a%20b', 'byName', { name: 'a b' }],
    ['POST', '/api/hello', 'hello', {}],
    ['GET', '/api/hello/ann', 'hello', { name: 'ann' }],
    ['GET', '/api/chat', 'web', {}],
    ['GET', '/api/chat/', 'web', {}],
    ['GET', '/api/chat/chat.js', 'web', { path: 'chat.js' }],
    ['GET', '/api/chat/a/b', 'web', { path: 'a/b' }],
    ['GET', '/API/Negotiate', 'negotiate', {}],
    ['get', '/api/negotiate/', 'negotiate', {}],
  ])('%s %s → %s', (method, path, functionName, params) => {
    const match = matchRoute(table, method, path);
    expect(match?.route.functionName).toBe(functionName);
    expect(match?.params).toEqual(params);
  });

  it.each([
    ['DELETE', '/api/negotiate'],
    ['GET', '/api/negotiate/extra'],
    ['GET', '/negotiate'],
    ['GET', '/api/hello/a/b'],
    ['GET', '/api/items/%E0%A4%A'],
    ['GET', '/'],
  ])('%s %s matches nothing', (method, path) => {
    expect(matchRoute(table, method, path)).toBeUndefined();
  });
});

describe('satisfiesConstraint', () => {
  it.each([
    ['int', '-12', true],
    ['int', '1.5', false],
    ['bool', 'TRUE', true],
    ['bool', 'yes', false],
    ['alpha', 'abc', true],
    ['alpha', 'a1', false],
    ['guid', '8f14e45f-ceea-467f-a8c4-5b3c1f0a2b3c', true],
    ['guid', 'nope', false],
    ['double', '2.5', true],
    ['double', 'x', false],
    ['minlength(3)', 'anything', true],
  ])('%s accepts %j: %s', (constraint, value, ok) => {
    expect(satisfiesConstraint(constraint, value)).toBe(ok);
  });
});

describe('createRouteCache', () => {
  const table = buildRouteTable([http('items', { route: 'items/{id}' }), http('negotiate')], 'api');

  it('answers exactly as matchRoute, including misses, for repeated calls', () => {
    const cached = createRouteCache(table);
    for (const [method, path] of [
      ['GET', '/api/items/7'],
      ['GET', '/api/items/7'],
      ['POST', '/api/negotiate'],
      ['DELETE', '/api/negotiate'],
      ['GET', '/nope'],
      ['GET', '/nope'],
    ] as const) {
      expect(cached(method, path)).toEqual(matchRoute(table, method, path));
    }
  });

  it('gives every hit its own params object', () => {
    const cached = createRouteCache(table);
    const first = cached('GET', '/api/items/7')!;
    first.params['id'] = 'tampered';
    expect(cached('GET', '/api/items/7')!.params).toEqual({ id: '7' });
  });

  it('stays correct past its size bound and for paths too long to keep', () => {
    const cached = createRouteCache(table);
    for (let i = 0; i < routeCacheSize + 10; i++) expect(cached('GET', `/api/items/${i}`)!.params).toEqual({ id: String(i) });
    const long = `/api/items/${'x'.repeat(routeCacheMaxPath)}`;
    expect(cached('GET', long)).toEqual(matchRoute(table, 'GET', long));
  });
});
