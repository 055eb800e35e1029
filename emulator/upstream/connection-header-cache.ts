import { connectionHeaders, type EventConnection } from './cloud-event-request';

/**
 * The per-connection part of the upstream header set (connectionHeaders: ids, user, subprotocol, state,
 * origin and the `ce-signature` HMACs), built once per connection view instead of once per event.
 *
 * Keyed by the EventConnection object: Connection.eventConnection() hands out the same object until
 * something the headers show (state, the MQTT physical connection) changes, so a changed connection is a
 * new key and never meets stale headers. An entry remembers the key list it was signed with and is
 * rebuilt when the list is another one (a key regeneration swaps the list). A WeakMap, so an entry goes
 * with its connection and the cache needs no bound of its own.
 */
interface Entry {
  readonly keys: readonly string[];
  readonly origin: string;
  readonly headers: Readonly<Record<string, string>>;
}

export class ConnectionHeaderCache {
  private readonly entries = new WeakMap<EventConnection, Entry>();

  get(connection: EventConnection, keys: readonly string[], origin: string): Readonly<Record<string, string>> {
    const entry = this.entries.get(connection);
    if (entry !== undefined && entry.keys === keys && entry.origin === origin) return entry.headers;
    const headers = connectionHeaders(connection, keys, origin);
    this.entries.set(connection, { keys, origin, headers });
    return headers;
  }
}
