import { createHmac } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import { parseSignalRUpstream } from '../../../../shared/signalr/upstream-request';

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
    expect(parseSignalRUpstream(headers(base()), none)).toEqual({ kind: 'connected', connection: { hub: 'chat', connectionId: 'c1', userId: 'ann' } });
    const body = new TextEncoder().encode(JSON.stringify({ type: 7, error: 'boom' }));
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'disconnected' })), body)).toMatchObject({ kind: 'disconnected', error: 'boom' });
    const docs = new TextEncoder().encode(JSON.stringify({ Error: '' }));
    expect(parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'disconnected' })), docs)).not.toHaveProperty('error');
  });

  it('reads JSON and MessagePack invocations', () => {
    const json = new TextEncoder().encode(JSON.stringify({ type: 1, target: 'message', arguments: [{ text: 'x' }] }));
    const h = base({ 'X-ASRS-Category': 'messages', 'X-ASRS-Event': 'message', 'Content-Type': 'application/json' });
    expect(parseSignalRUpstream(headers(h), json)).toMatchObject({ kind: 'message', protocol: 'json', invocation: { target: 'message' } });
    const mp = encode([1, {}, 'i1', 'message', [{ text: 'x' }], []]);
    const withPrefix = new Uint8Array([mp.length, ...mp]);
    expect(parseSignalRUpstream(headers({ ...h, 'Content-Type': 'application/x-msgpack' }), withPrefix)).toMatchObject({
      kind: 'message',
      protocol: 'messagepack',
      invocation: { invocationId: 'i1', target: 'message', arguments: [{ text: 'x' }] },
    });
    expect(() => parseSignalRUpstream(headers({ ...h, 'Content-Type': 'text/plain' }), json)).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('refuses missing headers and unknown categories or events with 400', () => {
    const h = base();
    delete (h as Record<string, string>)['X-ASRS-Hub'];
    expect(() => parseSignalRUpstream(headers(h), none)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseSignalRUpstream(headers(base({ 'X-ASRS-Category': 'other' })), none)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseSignalRUpstream(headers(base({ 'X-ASRS-Event': 'reconnected' })), none)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
