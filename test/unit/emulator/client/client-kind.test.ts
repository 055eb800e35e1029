import { kindOfProtocol, parseOfferedProtocols, selectSubprotocol } from '../../../../emulator/client/client-kind';

describe('selectSubprotocol', () => {
  it.each([
    [[], undefined, { ok: true, protocol: null }],
    [['json.webpubsub.azure.v1'], undefined, { ok: true, protocol: 'json.webpubsub.azure.v1' }],
    [['custom', 'json.reliable.webpubsub.azure.v1'], undefined, { ok: true, protocol: 'json.reliable.webpubsub.azure.v1' }],
    [['custom', 'other'], 'other', { ok: true, protocol: 'other' }],
    [['json.webpubsub.azure.v1'], 'custom', { ok: false, status: 500 }],
    [['protobuf.webpubsub.azure.v1'], undefined, { ok: false, status: 400 }],
    [['protobuf.webpubsub.azure.v1'], 'protobuf.webpubsub.azure.v1', { ok: false, status: 400 }],
    [['custom'], undefined, { ok: false, status: 400 }],
  ] as const)('%j chosen %s → %j', (offered, chosen, expected) => {
    expect(selectSubprotocol(offered, chosen)).toMatchObject(expected);
  });
});

describe('kindOfProtocol and parseOfferedProtocols', () => {
  it.each([
    [null, 'simple'],
    ['custom', 'simple'],
    ['json.webpubsub.azure.v1', 'json'],
    ['json.reliable.webpubsub.azure.v1', 'reliable'],
  ] as const)('%s is a %s client', (protocol, kind) => {
    expect(kindOfProtocol(protocol)).toBe(kind);
  });

  it('splits and trims the offered list', () => {
    expect(parseOfferedProtocols(' a, b ,,c')).toEqual(['a', 'b', 'c']);
    expect(parseOfferedProtocols(undefined)).toEqual([]);
  });
});
