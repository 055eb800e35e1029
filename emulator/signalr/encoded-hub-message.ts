import type { HubMessage, HubProtocol } from './hub-messages';

/**
 * One hub message for many connections, encoded at most once per hub protocol: a send to all, a group
 * or a user costs one JSON and one MessagePack encoding, not one per connection.
 */
export class EncodedHubMessage {
  private json?: Uint8Array;
  private readonly others = new Map<HubProtocol, Uint8Array>();

  constructor(readonly message: HubMessage) {}

  for(protocol: HubProtocol): Uint8Array {
    // Nearly every client speaks JSON: a field, not a map lookup, on the hot path.
    if (protocol.name === 'json') return (this.json ??= protocol.write(this.message));
    let bytes = this.others.get(protocol);
    if (!bytes) this.others.set(protocol, (bytes = protocol.write(this.message)));
    return bytes;
  }
}
