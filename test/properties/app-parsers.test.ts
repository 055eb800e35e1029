import fc from 'fast-check';
import { checkWebHookOrigin } from '../../shared/upstream/abuse-protection';
import { MAX_EVENT_BODY_BYTES, parseCloudEvent, parseEventHeaders } from '../../shared/upstream/cloud-event-parser';
import { decodeConnectionState } from '../../shared/upstream/connection-state-codec';
import { BadRequestError, InternalServerError, PayloadTooLargeError, WebPubSubError } from '../../shared/http/errors';
import { toConnectReply, toUserEventReply } from '../../shared/upstream/replies';
import type { ConnectRequest, ConnectResponse, UserEventResponse } from '../../shared/upstream/event-types';
import { MAX_PUBLISH_BODY_BYTES, parsePublishRequest } from '../../shared/api/publish-request';
import { signConnectionId, verifySignature } from '../../shared/auth/upstream-signature';
import {
  assertNoPrototypePollution,
  deepArray,
  mutations,
  nastyString,
  nastyValue,
  objectMutation,
  PROTO_KEYS,
  textMutation,
  toJsonText,
} from '../support/hostile-input';

/**
 * Property tests of the functions' pure boundaries (shared/): whatever arrives, each parser returns a value
 * or throws its documented typed error with a bounded, non-empty message — never a TypeError or RangeError.
 */

const RUNS = 3000;

/** Runs `f`; a throw must be one of `allowed` with a usable message. Returns the value or the error. */
function typedOutcome<T>(f: () => T, allowed: readonly (new (...a: never[]) => WebPubSubError)[]): T | WebPubSubError {
  try {
    return f();
  } catch (e) {
    if (!allowed.some((cls) => e instanceof cls))
      throw new Error(`untyped error escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    const err = e as WebPubSubError;
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.message.length).toBeLessThan(1000);
    return err;
  }
}

class MapHeaders {
  private readonly m = new Map<string, string>();
  constructor(entries: Record<string, string>) {
    for (const [k, v] of Object.entries(entries)) {
      const key = k.toLowerCase();
      // A repeated header reaches Fetch Headers as "a, b".
      this.m.set(key, this.m.has(key) ? `${this.m.get(key)}, ${v}` : v);
    }
  }
  get(name: string): string | null {
    return this.m.get(name.toLowerCase()) ?? null;
  }
}

const TYPES = [
  'azure.webpubsub.sys.connect',
  'azure.webpubsub.sys.connected',
  'azure.webpubsub.sys.disconnected',
  'azure.webpubsub.user.message',
  'azure.webpubsub.user.x.y',
];
const validHeaders = fc.constantFrom(...TYPES).map((type) => ({
  'ce-type': type,
  'ce-hub': 'chat',
  'ce-connectionId': 'conn-1',
  'ce-eventName': type.replace(/^azure\.webpubsub\.(sys|user)\./, ''),
  'ce-userId': 'alice',
  'ce-connectionState': Buffer.from('{"n":1}').toString('base64'),
  'webhook-request-origin': 'localhost',
}));

const headerSets = fc.tuple(validHeaders, mutations(objectMutation(), 4), fc.boolean()).map(([h, mutate, keep]) => {
  const mutated = keep ? h : mutate(h);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(mutated)) out[k] = typeof v === 'string' ? v : toJsonText({ v });
  return out;
});

const connectBody = fc.record({
  claims: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTO_KEYS)), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), {
    maxKeys: 4,
  }),
  query: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTO_KEYS)), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), {
    maxKeys: 4,
  }),
  headers: fc.constant({ 'User-Agent': ['x'] }),
  subprotocols: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  clientCertificates: fc.constant([] as unknown[]),
});

const bodies: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(connectBody, mutations(objectMutation(), 3)).map(([b, m]) => new TextEncoder().encode(toJsonText(m(b as Record<string, unknown>)))),
  fc.tuple(connectBody, textMutation()).map(([b, m]) => new TextEncoder().encode(m(JSON.stringify(b)))),
  nastyValue.map((v) => new TextEncoder().encode(JSON.stringify(v) ?? '')),
  fc.constant(new Uint8Array(MAX_EVENT_BODY_BYTES + 1)),
);

const contentTypes = fc.oneof(
  fc.constantFrom(null, 'application/json', 'text/plain; charset=utf-8', 'application/octet-stream', 'APPLICATION/JSON;x', 'application/x-protobuf', ''),
  nastyString,
);

describe('CloudEvents parser (shared/upstream/cloud-event-parser.ts) under hostile input', () => {
  afterEach(assertNoPrototypePollution);

  it(`parseEventHeaders returns an event envelope or a BadRequestError for ${RUNS} generated and mutated header sets`, () => {
    fc.assert(
      fc.property(headerSets, (h) => {
        const out = typedOutcome(() => parseEventHeaders(new MapHeaders(h)), [BadRequestError]);
        if (!(out instanceof WebPubSubError)) {
          expect(out.context.connectionId).toBe(h['ce-connectionId'] ?? h['ce-connectionid']);
          expect(typeof out.context.states).toBe('object');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`parseCloudEvent returns an event or BadRequestError/PayloadTooLargeError for ${RUNS} bodies × content types`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), bodies, contentTypes, (type, body, contentType) => {
        const envelope = parseEventHeaders(
          new MapHeaders({ 'ce-type': type, 'ce-hub': 'chat', 'ce-connectionId': 'c', 'ce-eventName': type.replace(/^azure\.webpubsub\.(sys|user)\./, '') }),
        );
        const out = typedOutcome(() => parseCloudEvent(envelope, contentType, body), [BadRequestError, PayloadTooLargeError]);
        if (!(out instanceof WebPubSubError) && out.kind === 'connect') {
          // Prototype keys stay plain data in null-prototype maps.
          for (const map of [out.request.claims, out.request.query]) {
            expect(Object.getPrototypeOf(map)).toBeNull();
            for (const v of Object.values(map)) expect(Array.isArray(v) && v.every((s) => typeof s === 'string')).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeConnectionState never throws and never returns a prototype-bearing object', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nastyString,
          nastyValue.map((v) => Buffer.from(toJsonText({ v, __proto__x: 1 })).toString('base64')),
          fc.constant(Buffer.from('{"__proto__":{"polluted":1}}').toString('base64')),
        ),
        (header) => {
          const { states } = decodeConnectionState(header);
          expect(typeof states).toBe('object');
          expect((states as { polluted?: unknown }).polluted === undefined || Object.hasOwn(states, '__proto__')).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Reply mapping (shared/upstream/replies.ts) of whatever a hub returns', () => {
  const request: ConnectRequest = {
    context: { hub: 'chat', connectionId: 'c', eventName: 'connect', origin: 'localhost', states: {} },
    claims: {},
    query: {},
    headers: {},
    subprotocols: ['json.webpubsub.azure.v1'],
    clientCertificates: [],
  };
  const connectResults = fc.oneof(
    nastyValue,
    fc.record(
      {
        userId: fc.oneof(nastyString, nastyValue),
        groups: nastyValue,
        roles: fc.oneof(nastyValue, fc.array(nastyString, { maxLength: 3 }), fc.constant(['webpubsub.sendToGroup'])),
        subprotocol: fc.oneof(nastyString, nastyValue),
      },
      { requiredKeys: [] },
    ),
  );

  it(`toConnectReply answers 200/204 or throws InternalServerError for ${RUNS} generated results`, () => {
    fc.assert(
      fc.property(connectResults, fc.constantFrom(undefined, [], ['webpubsub.joinLeaveGroup']), (result, allowed) => {
        const out = typedOutcome(() => toConnectReply(request, result as ConnectResponse, allowed), [InternalServerError]);
        if (!(out instanceof WebPubSubError)) {
          expect([200, 204]).toContain(out.status);
          // A role the hub did not allow is never granted (fail closed).
          if (out.body !== undefined) {
            const roles = (JSON.parse(String(out.body)) as { roles?: string[] }).roles ?? [];
            for (const r of roles) expect(allowed ?? []).toContain(r);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`toUserEventReply answers 200/204 or throws InternalServerError for ${RUNS} generated results (cyclic and BigInt data included)`, () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const results = fc.oneof(
      nastyValue,
      fc.record({
        dataType: fc.oneof(fc.constantFrom('json', 'text', 'binary'), nastyString),
        data: fc.oneof(nastyValue, fc.constant(cyclic), fc.constant(10n), fc.uint8Array({ maxLength: 5 })),
      }),
    );
    fc.assert(
      fc.property(
        results,
        fc.option(fc.oneof(fc.constant({ ok: 1 } as Record<string, unknown>), fc.constant({ c: cyclic } as Record<string, unknown>)), { nil: undefined }),
        (result, state) => {
          const out = typedOutcome(() => toUserEventReply(result as UserEventResponse, state), [InternalServerError]);
          if (!(out instanceof WebPubSubError)) expect([200, 204]).toContain(out.status);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Publish body validator (shared/api/publish-request.ts)', () => {
  const hubs = ['chat', 'other'];
  const valid = fc.record(
    {
      hub: fc.constantFrom('chat', 'CHAT', 'other'),
      group: fc.string({ minLength: 1, maxLength: 10 }),
      data: fc.jsonValue({ maxDepth: 2 }),
      dataType: fc.constantFrom('json', 'text', 'binary'),
      excluded: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 3 }),
    },
    { requiredKeys: ['data'] },
  );

  const bodiesText: fc.Arbitrary<string | Uint8Array> = fc.oneof(
    fc.tuple(valid, mutations(objectMutation(), 3)).map(([v, m]) => toJsonText(m(v as Record<string, unknown>))),
    fc.tuple(valid, textMutation()).map(([v, m]) => m(JSON.stringify(v))),
    fc.uint8Array({ maxLength: 100 }),
    nastyString,
    // Deep nesting: JSON.parse copes, but anything that re-serialises recursively must not blow the stack.
    fc.integer({ min: 100, max: 5_000 }).map((d) => `{"data":${'['.repeat(d)}${']'.repeat(d)}}`),
    fc.constant(`{"data":"${'a'.repeat(MAX_PUBLISH_BODY_BYTES)}"}`),
    fc.constant(`{"data":"${'a'.repeat(1024 * 1024 + 1)}", "dataType":"text"}`),
  );

  it(`returns a PublishRequest or throws BadRequestError/PayloadTooLargeError for ${RUNS} bodies`, () => {
    fc.assert(
      fc.property(bodiesText, (body) => {
        const out = typedOutcome(() => parsePublishRequest(body, hubs), [BadRequestError, PayloadTooLargeError]);
        if (!(out instanceof WebPubSubError)) expect(hubs).toContain(out.hub);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a deeply nested "data" with a BadRequestError instead of a stack overflow', () => {
    const body = `{"data":${JSON.stringify(deepArray(10)).replace('1', '['.repeat(300_000) + ']'.repeat(300_000))}}`;
    expect(() => parsePublishRequest(body, hubs)).toThrow(BadRequestError);
  });
});

describe('Upstream signature and origin checks (shared/auth/upstream-signature.ts, shared/upstream/abuse-protection.ts)', () => {
  it(`verifySignature never throws and accepts only an HMAC of this connection id (${RUNS} runs)`, () => {
    const keys = ['primary-key-0123456789', 'secondary-key-0123456789'];
    fc.assert(
      fc.property(
        nastyString,
        fc.oneof(
          nastyString,
          fc.tuple(nastyString, textMutation()).map(([id, m]) => m(signConnectionId(id, keys))),
        ),
        (connectionId, header) => {
          const ok = verifySignature(connectionId, header, keys);
          // Accepted only when the header carries the exact HMAC of this connection id under one of the keys.
          if (ok) expect(keys.some((k) => header.toLowerCase().includes(signConnectionId(connectionId, [k]).toLowerCase()))).toBe(true);
          // Positive control: the genuine header always verifies.
          expect(verifySignature(connectionId, signConnectionId(connectionId, keys), keys)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`checkWebHookOrigin answers an allowed origin or a BadRequestError (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nastyString,
          fc.tuple(fc.constantFrom('localhost', 'https://localhost', 'localhost:8080'), textMutation()).map(([o, m]) => m(o)),
        ),
        (origin) => {
          const out = typedOutcome(() => checkWebHookOrigin(new MapHeaders({ 'WebHook-Request-Origin': origin }), ['localhost']), [BadRequestError]);
          if (typeof out === 'string') {
            expect(out).not.toMatch(/[\r\n]/);
            expect(origin.split(',').map((v) => v.trim())).toContain(out);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Hub state (shared/upstream/hub-dispatch.ts)', () => {
  it('setState with a value JSON cannot serialise (cycle, BigInt) is a typed InternalServerError, not a TypeError', async () => {
    const { dispatchEvent } = await import('../../shared/upstream/hub-dispatch');
    const { defineHub } = await import('../../shared/hub/hub-definition');
    const { fakeService } = await import('../support/functions-harness');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    for (const value of [cyclic, 10n]) {
      const hub = defineHub({ name: 'chat', onUserEvent: { message: (_r, ctx) => ctx.setState('k', value) } });
      const event = {
        kind: 'user' as const,
        request: { context: { hub: 'chat', connectionId: 'c', eventName: 'message', origin: 'localhost', states: {} }, dataType: 'text' as const, data: 'x' },
      };
      await expect(dispatchEvent(event, hub, fakeService(), log)).rejects.toBeInstanceOf(InternalServerError);
    }
  });
});
