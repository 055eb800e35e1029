import { signHs256 } from '../../../../emulator/auth/hs256';
import { decideHandshake, type HandshakeInput } from '../../../../emulator/client/handshake';

const KEY = 'unit-key-0123456789-0123456789-0123';
const NOW = 1_800_000_000;
const token = (claims: Record<string, unknown> = {}) => signHs256({ aud: 'http://localhost:8080/client/hubs/chat', exp: NOW + 60, sub: 'u', ...claims }, KEY);

function input(url: string, headers: Record<string, string> = {}, anonymous: 'allow' | 'deny' = 'deny'): HandshakeInput {
  return {
    url,
    rawHeaders: Object.entries({ Host: 'localhost:8080', 'User-Agent': 'test', ...headers }).flat(),
    host: 'localhost:8080',
    keys: [KEY],
    endpoint: 'http://localhost:8080',
    anonymousConnectPolicy: () => anonymous,
    now: NOW,
  };
}

describe('decideHandshake', () => {
  it('keeps query and header names such as constructor and __proto__ as plain entries', () => {
    const d = decideHandshake(input(`/client/hubs/chat?access_token=${token()}&constructor=x&__proto__=y&toString=z`, { constructor: 'h' }));
    expect(d).toMatchObject({ kind: 'connect' });
    if (d.kind !== 'connect') return;
    expect(Object.entries(d.query)).toEqual(
      expect.arrayContaining([
        ['constructor', ['x']],
        ['__proto__', ['y']],
        ['toString', ['z']],
      ]),
    );
    expect(d.headers['constructor']).toEqual(['h']);
  });

  it.each([
    ['/api/hubs/chat', 404],
    ['http://[bad', 400],
    ['/client/hubs/9chat', 400],
    ['/client/?hub=', 400],
    ['/client/hubs/chat', 401],
    ['/client/hubs/chat?access_token=garbage', 401],
  ])('%s → %i', (url, status) => {
    expect(decideHandshake(input(url))).toMatchObject({ kind: 'reject', status });
  });

  it('accepts a valid token and prepares the connect event query and headers', () => {
    const d = decideHandshake(
      input(`/client/hubs/chat?access_token=${token()}&a=1&a=2`, { Authorization: 'Bearer zzz', 'Sec-WebSocket-Protocol': 'json.webpubsub.azure.v1' }),
    );
    expect(d).toMatchObject({
      kind: 'connect',
      hub: 'chat',
      offered: ['json.webpubsub.azure.v1'],
      identity: { userId: 'u' },
      mode: { name: 'sendEvent' },
      query: { a: ['1', '2'] },
    });
    if (d.kind !== 'connect') throw new Error('expected connect');
    expect(d.headers['User-Agent']).toEqual(['test']);
    expect(Object.keys(d.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('reads a Bearer token from the Authorization header and the hub from the query form', () => {
    expect(decideHandshake(input('/client/?hub=chat', { Authorization: `Bearer ${token()}` }))).toMatchObject({ kind: 'connect', hub: 'chat' });
  });

  it('lets anonymous clients in only when the hub allows it', () => {
    expect(decideHandshake(input('/client/hubs/chat', {}, 'allow'))).toMatchObject({ kind: 'connect', identity: { userId: null, roles: [] } });
  });

  it.each([
    ['', { name: 'sendEvent' }],
    ['&webpubsub_mode=sendEvent', { name: 'sendEvent' }],
    ['&webpubsub_mode=sendToGroup&group=g&noEcho=true', { name: 'sendToGroup', group: 'g', noEcho: true }],
  ])('simple-client mode %s', (query, mode) => {
    expect(decideHandshake(input(`/client/hubs/chat?access_token=${token()}${query}`))).toMatchObject({ kind: 'connect', mode });
  });

  it.each([['&webpubsub_mode=x'], ['&webpubsub_mode=sendToGroup'], ['&webpubsub_mode=sendToGroup&group=a&group=b'], ['&webpubsub_mode=sendToGroup&group=%20']])(
    'refuses the simple-client query %s with 400',
    (query) => {
      expect(decideHandshake(input(`/client/hubs/chat?access_token=${token()}${query}`))).toMatchObject({ kind: 'reject', status: 400 });
    },
  );

  it('ignores webpubsub_mode for JSON clients', () => {
    expect(
      decideHandshake(input(`/client/hubs/chat?access_token=${token()}&webpubsub_mode=x`, { 'Sec-WebSocket-Protocol': 'json.webpubsub.azure.v1' })),
    ).toMatchObject({ kind: 'connect' });
  });

  it('refuses protobuf-only offers with 400 before checking anything else', () => {
    expect(decideHandshake(input('/client/hubs/chat', { 'Sec-WebSocket-Protocol': 'protobuf.webpubsub.azure.v1' }))).toMatchObject({
      kind: 'reject',
      status: 400,
      message: expect.stringContaining('protobuf'),
    });
  });

  it('recognises a recovery without validating the (possibly expired) access token', () => {
    const expired = signHs256({ aud: 'http://localhost:8080/client/hubs/chat', exp: NOW - 3600 }, KEY);
    const d = decideHandshake(
      input(`/client/hubs/chat?access_token=${expired}&awps_connection_id=c1&awps_reconnection_token=t%2F%2B%3D`, {
        'Sec-WebSocket-Protocol': 'json.reliable.webpubsub.azure.v1',
      }),
    );
    expect(d).toEqual({ kind: 'recover', hub: 'chat', connectionId: 'c1', reconnectionToken: 't/+=', protocol: 'json.reliable.webpubsub.azure.v1' });
  });
});
