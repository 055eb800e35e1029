import type { IConnectPacket } from 'mqtt-packet';
import { checkConnect, MAX_SESSION_KEEP_MS, sessionKeepMs } from '../../../../emulator/mqtt/connect-rules';

const packet = (p: Partial<IConnectPacket>): IConnectPacket => ({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 5,
  clientId: 'device1',
  keepalive: 60,
  clean: true,
  ...p,
});
const assign = () => 'assigned1';

describe('CONNECT rules', () => {
  it('accepts a documented client id and assigns one to an empty id', () => {
    expect(checkConnect(packet({}), assign)).toEqual({ ok: true, version: 5, clientId: 'device1', assigned: false });
    expect(checkConnect(packet({ clientId: '' }), assign)).toEqual({ ok: true, version: 5, clientId: 'assigned1', assigned: true });
    expect(checkConnect(packet({ clientId: 'A'.repeat(128) }), assign).ok).toBe(true);
  });

  it('refuses ids outside 0-9 a-z A-Z or longer than 128', () => {
    for (const clientId of ['has-dash', 'has_underscore', 'é', 'A'.repeat(129)]) {
      expect(checkConnect(packet({ clientId }), assign)).toMatchObject({ ok: false, refusal: 'client-id-not-valid' });
    }
    expect(checkConnect(packet({ protocolVersion: 4, clientId: '', clean: false }), assign)).toMatchObject({ ok: false, refusal: 'client-id-not-valid' });
  });

  it('refuses protocol versions other than 3.1.1 and 5.0', () => {
    expect(checkConnect(packet({ protocolVersion: 3 }), assign)).toMatchObject({ ok: false, refusal: 'unsupported-protocol-version', version: 4 });
  });

  it('limits the 3.1.1 keep-alive to 1-180 s, not the 5.0 one', () => {
    expect(checkConnect(packet({ protocolVersion: 4, keepalive: 0 }), assign).ok).toBe(false);
    expect(checkConnect(packet({ protocolVersion: 4, keepalive: 181 }), assign).ok).toBe(false);
    expect(checkConnect(packet({ protocolVersion: 4, keepalive: 180 }), assign).ok).toBe(true);
    expect(checkConnect(packet({ keepalive: 0 }), assign).ok).toBe(true);
  });

  it('refuses a 5.0 Receive Maximum of 0 as a protocol error (0x82)', () => {
    expect(checkConnect(packet({ properties: { receiveMaximum: 0 } }), assign)).toMatchObject({ ok: false, refusal: 'protocol-error' });
    expect(checkConnect(packet({ properties: { receiveMaximum: 1 } }), assign).ok).toBe(true);
  });

  it('limits the will topic and payload', () => {
    const will = (topic: string, size: number) => ({ topic, payload: Buffer.alloc(size), qos: 0 as const, retain: false });
    expect(checkConnect(packet({ will: will('  ', 1) }), assign)).toMatchObject({ ok: false, refusal: 'topic-name-invalid' });
    expect(checkConnect(packet({ will: will('t'.repeat(1025), 1) }), assign)).toMatchObject({ ok: false, refusal: 'topic-name-invalid' });
    expect(checkConnect(packet({ will: will('status', 2001) }), assign)).toMatchObject({ ok: false, refusal: 'packet-too-large' });
    expect(checkConnect(packet({ will: will('status', 2000) }), assign).ok).toBe(true);
  });

  it('keeps a session for the expiry interval, at most 30 s', () => {
    expect(sessionKeepMs(5, true, undefined)).toBe(0);
    expect(sessionKeepMs(5, true, 10)).toBe(10_000);
    expect(sessionKeepMs(5, false, 3600)).toBe(MAX_SESSION_KEEP_MS);
    expect(sessionKeepMs(4, true, undefined)).toBe(0);
    expect(sessionKeepMs(4, false, undefined)).toBe(MAX_SESSION_KEEP_MS);
  });
});
