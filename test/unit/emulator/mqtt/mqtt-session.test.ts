import { parser as createParser, type Packet } from 'mqtt-packet';
import { permissionsFromRoles } from '../../../../emulator/auth/permissions';
import { MqttSession } from '../../../../emulator/mqtt/mqtt-session';
import { Connection } from '../../../../emulator/registry/connection';
import { EncodedMessage } from '../../../../emulator/registry/encoded-message';

function decode(bytes: Buffer[], version: 4 | 5): Packet[] {
  const p = createParser({ protocolVersion: version });
  const out: Packet[] = [];
  p.on('packet', (x: Packet) => out.push(x));
  for (const b of bytes) p.parse(b);
  return out;
}

function session(version: 4 | 5) {
  const conn = new Connection('dev1', 'hub', null, 'mqtt', 'mqtt', permissionsFromRoles([]), { name: 'sendEvent' }, undefined);
  const s = new MqttSession(conn, version, 'sid');
  const written: Buffer[] = [];
  const writer = { physicalConnectionId: 'p1', write: (b: Buffer) => written.push(b) };
  return { s, written, writer };
}

const groupMessage = (qos: 0 | 1) => new EncodedMessage({ dataType: 'text', data: Buffer.from('hi') }, { from: 'group', group: 'g' }, undefined, qos);

describe('MQTT session delivery', () => {
  it('sends at the lower of message and subscription QoS, with the 5.0 content type and subscription id', () => {
    const { s, written, writer } = session(5);
    s.attach(writer, 5);
    s.subscriptions.set('g', { qos: 0, noLocal: false, subscriptionId: 7 });
    s.deliver(groupMessage(1));
    const [p] = decode(written, 5) as [Extract<Packet, { cmd: 'publish' }>];
    expect(p).toMatchObject({ topic: 'g', qos: 0, properties: { contentType: 'text/plain', subscriptionIdentifier: 7 } });
  });

  it('puts server messages on $webpubsub/server/messages at QoS 1 with a packet id, until PUBACK', () => {
    const { s, written, writer } = session(4);
    s.attach(writer, 4);
    s.deliver(new EncodedMessage({ dataType: 'binary', data: Buffer.from([1]) }, { from: 'server' }));
    const [p] = decode(written, 4) as [Extract<Packet, { cmd: 'publish' }>];
    expect(p).toMatchObject({ topic: '$webpubsub/server/messages', qos: 1, messageId: 1 });
    // Not acknowledged: a resume resends it with DUP.
    s.resume();
    expect((decode(written, 4)[1] as Extract<Packet, { cmd: 'publish' }>).dup).toBe(true);
    s.acknowledge(1);
    written.length = 0;
    s.resume();
    expect(written).toHaveLength(0);
  });

  it('queues QoS 1 while detached, drops QoS 0, and sends the queue on resume', () => {
    const { s, written, writer } = session(5);
    s.deliver(groupMessage(0));
    s.deliver(groupMessage(1));
    expect(written).toHaveLength(0);
    s.attach(writer, 5);
    s.resume();
    const packets = decode(written, 5);
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ cmd: 'publish', qos: 1 });
  });
});
