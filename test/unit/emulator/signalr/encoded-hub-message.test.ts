import { EncodedHubMessage } from '../../../../emulator/signalr/encoded-hub-message';
import type { HubProtocol } from '../../../../emulator/signalr/hub-messages';
import { jsonHubProtocol } from '../../../../emulator/signalr/json-hub-protocol';
import { messagePackHubProtocol } from '../../../../emulator/signalr/msgpack-hub-protocol';

/** A protocol that counts its encodings. */
function counting(protocol: HubProtocol): HubProtocol & { writes: number } {
  const counted = { ...protocol, writes: 0 };
  counted.write = (m) => {
    counted.writes++;
    return protocol.write(m);
  };
  return counted;
}

describe('EncodedHubMessage', () => {
  it('encodes a message once per protocol, however many connections it goes to', () => {
    const json = counting(jsonHubProtocol);
    const msgpack = counting(messagePackHubProtocol);
    const message = new EncodedHubMessage({ type: 1, target: 'message', arguments: [{ text: 'hi' }] });
    const sent = [json, msgpack, json, json, msgpack].map((p) => message.for(p));
    expect([json.writes, msgpack.writes]).toEqual([1, 1]);
    expect(sent[0]).toBe(sent[2]);
    expect(Buffer.from(sent[0]!).toString()).toBe('{"type":1,"target":"message","arguments":[{"text":"hi"}]}\u001e');
    expect(messagePackHubProtocol.parse(sent[1]!)[0]).toMatchObject({ type: 1, target: 'message', arguments: [{ text: 'hi' }] });
  });
});
