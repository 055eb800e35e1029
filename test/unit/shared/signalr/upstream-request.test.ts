import { createHmac } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import { parseSignalRUpstream } from '../../../../shared/signalr/upstream-request';

const KEYS = ['primary-key', 'secondary-key'];
const sig = (key: string, id: string) => `sha256=${createHmac('sha256', key).update(id).digest('hex')}`;
const headers = (h: Record<string, string>) => new Headers(h);
const base = (extra: Record<string, string> = {}) => ({
  'X-ASRS-Hub': 'chat',
  'X-ASRS-Connection-Id': 'c1',
  'X-ASRS-Category': 'connections',
  'X-ASRS-Event': 'connected',
  'X-ASRS-User-Id': 'ann',
  'X-ASRS-Signature': sig('primary-key', 'c1'),
  ...extra,
});
const none = new Uint8Array(0);

describe('parseSignalRUpstream', () => {
  it('reads connected and disconnected with the error', () => {
    expect(parseSignalRUpstream(headers(base()), none, KEYS)).toEqual({ kind: 'connected', connection: { hub: 'chat', connectionId: 'c1', userId: 'ann' } });
    const body = new TextEncoder().encode(JSON.stringify({ type: 7, error: 'boom' }));
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'disconnected' })), body, KEYS)).toMatchObject({ kind: 'disconnected', error: 'boom' });
    const docs = new TextEncoder().encode(JSON.stringify({ Error: '' }));
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'disconnected' })), docs, KEYS)).not.toHaveProperty('error');
  });

  it('reads JSON and MessagePack invocations', () => {
    const json = new TextEncoder().encode(JSON.stringify({ type: 1, target: 'message', arguments: [{ text: 'x' }] }));
    const h = base({ 'X-ASRS-Category': 'messages', 'X-ASRS-Event': 'message', 'Content-Type': 'application/json' });
    expect(parseSignalRUpstream(headers(h), json, KEYS)).toMatchObject({ kind: 'message', protocol: 'json', invocation: { target: 'message' } });
    const mp = encode([1, {}, 'i1', 'message', [{ text: 'x' }], []]);
    const withPrefix = new Uint8Array([mp.length, ...mp]);
    expect(parseSignalRUpstream(headers({ ...h, 'Content-Type': 'application/x-msgpack' }), withPrefix, KEYS)).toMatchObject({
      kind: 'message',
      protocol: 'messagepack',
      invocation: { invocationId: 'i1', target: 'message', arguments: [{ text: 'x' }] },
    });
    expect(() => parseSignalRUpstream(headers({ ...h, 'Content-Type': 'text/plain' }), json, KEYS)).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('accepts either key, and a list with one good entry', () => {
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Signature': sig('secondary-key', 'c1') })), none, KEYS).kind).toBe('connected');
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Signature': `${sig('x', 'c1')},${sig('primary-key', 'c1')}` })), none, KEYS).kind).toBe('connected');
  });

  it.each([
    ['missing', undefined],
    ['from another key', sig('other', 'c1')],
    ['for another connection', sig('primary-key', 'c2')],
    ['malformed', 'sha256=zz'],
  ])('refuses a signature %s with 401, before reading the body', (_n, signature) => {
    const h: Record<string, string> = base({ 'X-ASRS-Category': 'messages', 'X-ASRS-Event': 'm' });
    if (signature === undefined) delete h['X-ASRS-Signature'];
    else h['X-ASRS-Signature'] = signature;
    expect(() => parseSignalRUpstream(headers(h), new TextEncoder().encode('not json'), KEYS)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('refuses with no keys at all (keyless upstream auth is not implemented)', () => {
    expect(() => parseSignalRUpstream(headers(base()), none, [])).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('refuses missing headers and unknown categories or events with 400', () => {
    const h = base();
    delete (h as Record<string, string>)['X-ASRS-Hub'];
    expect(() => parseSignalRUpstream(headers(h), none, KEYS)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseSignalRUpstream(headers(base({ 'X-ASRS-Category': 'other' })), none, KEYS)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'reconnected' })), none, KEYS)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
