import fc from 'fast-check';
import { signHs256 } from '../../emulator/auth/hs256';
import { decideHandshake } from '../../emulator/client/handshake';
import { parseClientMessage } from '../../emulator/client/json-protocol';
import type { RunningEmulator } from '../../emulator/server';
import { clientUrl, KEY, RawClient, start } from '../support/emulator-harness';
import { assertNoPrototypePollution, mutations, nastyString, nastyValue, objectMutation, PROTO_KEYS, textMutation, toJsonText } from '../support/hostile-input';

/**
 * The client-frame boundary (docs/protocol/client-protocols.md §3): the pure decoder, the pure handshake decision and a
 * live emulator fed generated frames over real sockets. A bad frame gets an ack error or a close with a
 * protocol code (1003/1007/1009); never 1011 ("internal error"), and other clients keep being served.
 */

const validMessages: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(
    { type: fc.constantFrom('joinGroup', 'leaveGroup'), group: fc.string({ minLength: 1, maxLength: 8 }), ackId: fc.nat() },
    { requiredKeys: ['type', 'group'] },
  ),
  fc.record(
    {
      type: fc.constant('sendToGroup'),
      group: fc.string({ minLength: 1, maxLength: 8 }),
      data: fc.jsonValue({ maxDepth: 2 }),
      dataType: fc.constantFrom('json', 'text', 'binary'),
      noEcho: fc.boolean(),
      ackId: fc.nat(),
    },
    { requiredKeys: ['type', 'group', 'data'] },
  ),
  fc.record(
    {
      type: fc.constant('event'),
      event: fc.string({ minLength: 1, maxLength: 8 }),
      data: fc.string(),
      dataType: fc.constantFrom('json', 'text'),
      ackId: fc.nat(),
    },
    { requiredKeys: ['type', 'event'] },
  ),
  fc.record({ type: fc.constant('sequenceAck'), sequenceId: fc.nat() }),
  fc.record(
    {
      type: fc.constant('invoke'),
      invocationId: fc.string(),
      target: fc.constant('event'),
      event: fc.string(),
      data: fc.jsonValue({ maxDepth: 2 }),
      dataType: fc.constantFrom('json', 'text', 'binary'),
    },
    { requiredKeys: ['type', 'invocationId'] },
  ),
  fc.record({ type: fc.constant('cancelInvocation'), invocationId: fc.string() }),
  fc.record(
    {
      type: fc.constant('sendToGroup'),
      group: fc.string({ minLength: 1, maxLength: 8 }),
      stream: fc.record({ streamId: fc.string(), idleTimeoutMs: fc.integer() }, { requiredKeys: ['streamId'] }),
      noEcho: fc.boolean(),
      ackId: fc.nat(),
    },
    { requiredKeys: ['type', 'group', 'stream'] },
  ),
  fc.record(
    {
      type: fc.constant('streamData'),
      streamId: fc.string(),
      streamSequenceId: fc.integer(),
      data: fc.jsonValue({ maxDepth: 2 }),
      dataType: fc.constantFrom('json', 'text', 'binary'),
    },
    { requiredKeys: ['type', 'streamId'] },
  ),
  fc.record(
    { type: fc.constant('streamEnd'), streamId: fc.string(), error: fc.record({ message: fc.string(), userErrorCode: fc.string() }) },
    { requiredKeys: ['type', 'streamId'] },
  ),
  fc.record(
    { type: fc.constant('setGroupState'), group: fc.string({ minLength: 1, maxLength: 8 }), state: fc.dictionary(fc.string(), fc.string()), ackId: fc.nat() },
    { requiredKeys: ['type', 'group'] },
  ),
  fc.record(
    { type: fc.constantFrom('subscribeGroupState', 'unsubscribeGroupState'), group: fc.string({ minLength: 1, maxLength: 8 }), ackId: fc.nat() },
    { requiredKeys: ['type', 'group'] },
  ),
);

const deepData = fc.integer({ min: 1_000, max: 400_000 }).map((d) => `{"type":"sendToGroup","group":"g","ackId":7,"data":${'['.repeat(d)}${']'.repeat(d)}}`);

const frames: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(validMessages, mutations(objectMutation(), 3)).map(([m, f]) => toJsonText(f(m))) },
  { weight: 3, arbitrary: fc.tuple(validMessages, textMutation()).map(([m, f]) => f(JSON.stringify(m))) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: nastyValue.map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS).map((k) => `{"type":"${k}","ackId":1,"__proto__":{"type":"joinGroup"}}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"type":"joinGroup","group":"g","ackId":1e21}',
      '{"type":"joinGroup","group":"g","ackId":-0}',
      '{"type":"sequenceAck","sequenceId":1e308}',
      '{"type":"sendToGroup","group":"g","dataType":"binary","data":"===="}',
    ),
  },
  { weight: 1, arbitrary: deepData },
);

describe('JSON protocol decoder (emulator/client/json-protocol.ts)', () => {
  afterEach(assertNoPrototypePollution);

  it('returns a message or an "invalid" result for 5000 generated and mutated frames, never throws', () => {
    fc.assert(
      fc.property(frames, (text) => {
        const m = parseClientMessage(text);
        if ('invalid' in m) {
          expect(typeof m.invalid).toBe('string');
          if (m.ackId !== undefined) expect(Number.isInteger(m.ackId) && m.ackId >= 0).toBe(true);
        } else {
          expect([
            'joinGroup',
            'leaveGroup',
            'sendToGroup',
            'event',
            'sequenceAck',
            'ping',
            'ignored',
            'invoke',
            'invokeInvalid',
            'cancelInvocation',
            'streamStart',
            'streamData',
            'streamEnd',
            'streamInvalid',
            'setGroupState',
            'subscribeGroupState',
            'unsubscribeGroupState',
          ]).toContain(m.type);
        }
      }),
      { numRuns: 5000, endOnFailure: true },
    );
  });
});

describe('Handshake decision (emulator/client/handshake.ts)', () => {
  const now = 1_800_000_000;
  const token = signHs256({ exp: now + 60, aud: 'http://localhost:8080/client/hubs/chat', sub: 'u' }, KEY);
  const names = fc.oneof(
    fc.constantFrom(...PROTO_KEYS, 'hub', 'group', 'webpubsub_mode', 'awps_connection_id', 'access_token'),
    fc.string({ minLength: 1, maxLength: 10 }),
  );

  it('answers connect, recover or reject for 3000 generated queries and headers (prototype keys included), never throws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(names, nastyString), { maxLength: 5 }),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.stringMatching(/^[A-Za-z_-]{1,12}$/)), fc.string({ maxLength: 10 })), { maxLength: 5 }),
        (query, headers) => {
          const q = new URLSearchParams([['access_token', token], ...query]);
          const decision = decideHandshake({
            url: `/client/hubs/chat?${q.toString()}`,
            rawHeaders: headers.flat(),
            host: 'localhost:8080',
            keys: [KEY],
            endpoint: 'http://localhost:8080',
            anonymousConnectPolicy: () => 'deny',
            now,
          });
          expect(['connect', 'recover', 'reject']).toContain(decision.kind);
          if (decision.kind === 'reject') expect(decision.status).toBeLessThan(500);
          if (decision.kind === 'connect') {
            // Every query parameter but access_token reaches the connect event as own data.
            for (const [k] of query) if (k !== 'access_token') expect(Object.hasOwn(decision.query, k)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('A live emulator fed generated frames over real sockets', () => {
  let emulator: RunningEmulator;
  let url: string;
  beforeAll(async () => {
    emulator = await start();
    url = await clientUrl(emulator, 'fuzz', { userId: 'fuzzer', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] });
  });
  afterAll(() => emulator.close());

  it('answers 400 generated frames with acks or protocol close codes (never 1011) and keeps serving a bystander', async () => {
    const bystander = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await bystander.json(0); // system/connected
    let victim: RawClient | undefined;
    let closes = 0;
    const seen = new Set<number>();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 9, arbitrary: frames.map((f) => ({ text: f, binary: false })) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ text: Buffer.from(b).toString('latin1'), binary: true })) },
          ),
          async ({ text, binary }) => {
            // Our own pings are the synchronisation points; a generated ping would confuse the count.
            if (!binary && /"type"\s*:\s*"ping"/.test(text)) return;
            if (!victim || victim.ws.readyState !== victim.ws.OPEN) {
              victim = await RawClient.open(url, 'json.webpubsub.azure.v1');
              await victim.json(0);
            }
            const client = victim;
            const pongsBefore = client.frames.filter((f) => f.data.toString() === '{"type":"pong"}').length;
            client.ws.send(binary ? Buffer.from(text, 'latin1') : text, { binary });
            client.ws.send('{"type":"ping"}');
            const isPong = (f: { data: Buffer }) => f.data.toString() === '{"type":"pong"}';
            const outcome = await Promise.race([
              client.closed.then((c) => ({ closed: c.code })),
              (async () => {
                // Frames are handled in order, so our pong means the generated frame was dealt with.
                for (let i = 0; ; i++) {
                  await client.frame(i);
                  if (client.frames.slice(0, i + 1).filter(isPong).length > pongsBefore) return { alive: true as const };
                }
              })().catch(() => client.closed.then((c) => ({ closed: c.code }))),
            ]);
            if ('closed' in outcome) {
              closes++;
              seen.add(outcome.closed);
              expect([1003, 1007, 1008, 1009]).toContain(outcome.closed);
            }
            for (const f of client.frames) {
              const m = JSON.parse(f.data.toString()) as { type: string; error?: { message?: string } };
              expect(m.error?.message).not.toBe('internal error');
            }
          },
        ),
        { numRuns: 400, endOnFailure: true },
      );
      // The bystander is still served.
      bystander.send({ type: 'ping' });
      expect(await bystander.find((m) => m.type === 'pong')).toEqual({ type: 'pong' });
      expect(closes).toBeGreaterThan(0);
      expect([...seen].every((c) => c !== 1011)).toBe(true);
    } finally {
      victim?.close();
      bystander.close();
    }
  }, 120_000);
});
