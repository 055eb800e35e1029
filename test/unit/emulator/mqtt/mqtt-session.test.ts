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

  it("keeps at most the client's Receive Maximum QoS 1 publishes in flight, and sends the rest in order as PUBACKs come", () => {
    const { s, written, writer } = session(5);
    s.receiveMaximum = 2;
    s.attach(writer, 5);
    for (let i = 0; i < 5; i++) s.deliver(new EncodedMessage({ dataType: 'text', data: Buffer.from(`m${i}`) }, { from: 'group', group: 'g' }, undefined, 1));
    s.deliver(groupMessage(0)); // QoS 0 is not counted and not held back
    const sent = () => decode(written, 5).map((p) => (p as Extract<Packet, { cmd: 'publish' }>).payload.toString());
    expect(sent()).toEqual(['m0', 'm1', 'hi']);
    s.acknowledge(1);
    expect(sent()).toEqual(['m0', 'm1', 'hi', 'm2']);
    s.acknowledge(99); // an unknown packet id opens nothing
    expect(sent()).toHaveLength(4);
    s.acknowledge(2);
    s.acknowledge(3);
    expect(sent()).toEqual(['m0', 'm1', 'hi', 'm2', 'm3', 'm4']);
  });

  it('a resumed session resends what is in flight, then fills the window from the queue', () => {
    const { s, written, writer } = session(5);
    s.receiveMaximum = 1;
    s.attach(writer, 5);
    for (let i = 0; i < 3; i++) s.deliver(new EncodedMessage({ dataType: 'text', data: Buffer.from(`m${i}`) }, { from: 'group', group: 'g' }, undefined, 1));
    s.detach(writer);
    written.length = 0;
    s.receiveMaximum = 2;
    s.attach(writer, 5);
    s.resume();
    const packets = decode(written, 5) as Extract<Packet, { cmd: 'publish' }>[];
    expect(packets.map((p) => [p.payload.toString(), p.dup])).toEqual([
      ['m0', true],
      ['m1', false],
    ]);
  });

  describe('MQTT 5.0 Message Expiry Interval', () => {
    const expiring = (text: string, qos: 0 | 1, expiresAt: number) =>
      new EncodedMessage({ dataType: 'text', data: Buffer.from(text) }, { from: 'group', group: 'g' }, undefined, qos, expiresAt);
    afterEach(() => jest.useRealTimers());

    it('gives the receiver what is left of the interval, in whole seconds', () => {
      jest.useFakeTimers({ now: 1_000_000 });
      const { s, written, writer } = session(5);
      s.attach(writer, 5);
      s.deliver(expiring('q1', 1, 1_000_000 + 9_500));
      s.deliver(expiring('q0', 0, 1_000_000 + 2_000));
      const packets = decode(written, 5) as Extract<Packet, { cmd: 'publish' }>[];
      expect(packets.map((p) => [p.payload.toString(), p.properties?.messageExpiryInterval])).toEqual([
        ['q1', 10],
        ['q0', 2],
      ]);
    });

    it('drops a queued message whose interval ran out before the client came back, and sends the others', () => {
      jest.useFakeTimers({ now: 1_000_000 });
      const { s, written, writer } = session(5);
      s.deliver(expiring('short', 1, 1_000_000 + 1_000));
      s.deliver(expiring('long', 1, 1_000_000 + 60_000));
      s.deliver(groupMessage(1));
      jest.setSystemTime(1_000_000 + 5_000);
      s.attach(writer, 5);
      s.resume();
      const packets = decode(written, 5) as Extract<Packet, { cmd: 'publish' }>[];
      expect(packets.map((p) => [p.payload.toString(), p.properties?.messageExpiryInterval])).toEqual([
        ['long', 55],
        ['hi', undefined],
      ]);
    });

    it('an unacknowledged message that expired is not resent on resume; one still valid is, with what is left', () => {
      jest.useFakeTimers({ now: 1_000_000 });
      const { s, written, writer } = session(5);
      s.attach(writer, 5);
      s.deliver(expiring('short', 1, 1_000_000 + 1_000));
      s.deliver(expiring('long', 1, 1_000_000 + 60_000));
      s.detach(writer);
      written.length = 0;
      jest.setSystemTime(1_000_000 + 10_000);
      s.attach(writer, 5);
      s.resume();
      const packets = decode(written, 5) as Extract<Packet, { cmd: 'publish' }>[];
      expect(packets.map((p) => [p.payload.toString(), p.dup, p.properties?.messageExpiryInterval])).toEqual([['long', true, 50]]);
    });

    it('expired messages are dropped for 3.1.1 receivers too, which get no interval', () => {
      jest.useFakeTimers({ now: 1_000_000 });
      const { s, written, writer } = session(4);
      s.attach(writer, 4);
      s.deliver(expiring('gone', 1, 1_000_000));
      s.deliver(expiring('kept', 1, 1_000_000 + 1));
      const packets = decode(written, 4) as Extract<Packet, { cmd: 'publish' }>[];
      expect(packets.map((p) => p.payload.toString())).toEqual(['kept']);
    });
  });
});
