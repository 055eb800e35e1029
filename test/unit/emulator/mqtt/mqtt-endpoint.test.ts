import { signHs256 } from '../../../../emulator/auth/hs256';
import { decideMqttUpgrade, hubOfMqttUrl, isMqttPath } from '../../../../emulator/mqtt/mqtt-endpoint';

const KEY = 'unit-key-0123456789-0123456789-0123';
const now = 1_700_000_000;
const token = (aud: string) => signHs256({ aud, sub: 'dev', role: ['webpubsub.joinLeaveGroup'], iat: now, exp: now + 60 }, KEY);
const base = {
  rawHeaders: ['Sec-WebSocket-Protocol', 'mqtt'],
  host: 'localhost:8080',
  keys: [KEY],
  endpoint: 'http://localhost:8080',
  anonymousConnectPolicy: () => 'deny' as const,
  now,
};

describe('MQTT upgrade decision', () => {
  it('matches the MQTT endpoint path only', () => {
    expect(hubOfMqttUrl('/clients/mqtt/hubs/iot')).toBe('iot');
    expect(hubOfMqttUrl('/client/hubs/iot')).toBeNull();
    expect(isMqttPath('/clients/mqtt/hubs/iot?x=1')).toBe(true);
    expect(isMqttPath('/client/hubs/iot')).toBe(false);
  });

  it('accepts a token whose audience is the MQTT URL, from the query or the Authorization header', () => {
    const t = token('http://localhost:8080/clients/mqtt/hubs/iot');
    const fromQuery = decideMqttUpgrade({ ...base, url: `/clients/mqtt/hubs/iot?access_token=${t}&x=1` });
    expect(fromQuery).toMatchObject({ kind: 'accept', hub: 'iot', identity: { userId: 'dev' }, query: { x: ['1'] } });
    expect(fromQuery.kind === 'accept' && 'access_token' in fromQuery.query).toBe(false);
    const fromHeader = decideMqttUpgrade({ ...base, url: '/clients/mqtt/hubs/iot', rawHeaders: [...base.rawHeaders, 'Authorization', `Bearer ${t}`] });
    expect(fromHeader.kind).toBe('accept');
  });

  it('refuses a token for the WebSocket client URL, no token, and a missing mqtt subprotocol', () => {
    expect(decideMqttUpgrade({ ...base, url: `/clients/mqtt/hubs/iot?access_token=${token('http://localhost:8080/client/hubs/iot')}` })).toMatchObject({
      kind: 'reject',
      status: 401,
    });
    expect(decideMqttUpgrade({ ...base, url: '/clients/mqtt/hubs/iot' })).toMatchObject({ kind: 'reject', status: 401 });
    expect(decideMqttUpgrade({ ...base, url: '/clients/mqtt/hubs/iot', anonymousConnectPolicy: () => 'allow' })).toMatchObject({
      kind: 'accept',
      identity: { userId: null },
    });
    expect(decideMqttUpgrade({ ...base, rawHeaders: [], url: '/clients/mqtt/hubs/iot' })).toMatchObject({ kind: 'reject', status: 400 });
  });
});
