import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { Connection, type MqttLink } from '../../../../emulator/registry/connection';

const make = (protocol: string | null = 'json.webpubsub.azure.v1') =>
  new Connection('c1', 'chat', 'alice', protocol, 'json', permissionsFromRoles([]), { name: 'sendEvent' }, undefined);

describe('Connection.eventConnection', () => {
  it('hands out the same frozen view until a field it shows changes (the upstream header cache keys on it)', () => {
    const conn = make();
    const view = conn.eventConnection();
    expect(view).toEqual({ hub: 'chat', connectionId: 'c1', userId: 'alice', subprotocol: 'json.webpubsub.azure.v1', state: '' });
    expect(Object.isFrozen(view)).toBe(true);
    expect(conn.eventConnection()).toBe(view);
    conn.state = 'abc';
    const changed = conn.eventConnection();
    expect(changed).not.toBe(view);
    expect(changed.state).toBe('abc');
    expect(conn.eventConnection()).toBe(changed);
  });

  it('follows the MQTT physical connection as it changes', () => {
    const conn = make('mqtt');
    const link: { physicalConnectionId: string | undefined; sessionId: string } = { physicalConnectionId: 'p1', sessionId: 's1' };
    conn.mqtt = { ...link, deliver: () => {} } as MqttLink;
    const mqtt = conn.mqtt as { physicalConnectionId: string | undefined };
    expect(conn.eventConnection()).toMatchObject({ sessionId: 's1', physicalConnectionId: 'p1' });
    mqtt.physicalConnectionId = 'p2';
    expect(conn.eventConnection()).toMatchObject({ sessionId: 's1', physicalConnectionId: 'p2' });
    mqtt.physicalConnectionId = undefined;
    expect(conn.eventConnection()).not.toHaveProperty('physicalConnectionId');
  });
});
