import fc from 'fast-check';
import { MAX_EVENT_BODY_BYTES, parseCloudEvent, parseEventHeaders } from '../../../../shared/upstream/cloud-event-parser';
import { BadRequestError, PayloadTooLargeError, WebPubSubError } from '../../../../shared/http/errors';

const enc = (s: string) => new TextEncoder().encode(s);
const base = (type: string, extra: Record<string, string> = {}) =>
  new Headers({
    'ce-type': type,
    'ce-hub': 'chat',
    'ce-connectionId': 'c1',
    'ce-eventName': type.replace(/^azure\.webpubsub\.(sys|user|gp)\./, ''),
    'webhook-request-origin': 'localhost',
    ...extra,
  });

describe('parseEventHeaders (docs/protocol/cloud-events.md §3)', () => {
  it.each([
    ['azure.webpubsub.sys.connect', 'connect', 'connect'],
    ['azure.webpubsub.sys.connected', 'connected', 'connected'],
    ['azure.webpubsub.sys.disconnected', 'disconnected', 'disconnected'],
    ['azure.webpubsub.user.message', 'user', 'message'],
    ['azure.webpubsub.user.my.event', 'user', 'my.event'],
    ['azure.webpubsub.gp.joined', 'groupJoined', 'joined'],
    ['azure.webpubsub.gp.left', 'groupLeft', 'left'],
  ])('%s → %s', (type, kind, eventName) => {
    const h = parseEventHeaders(base(type));
    expect(h.kind).toBe(kind);
    expect(h.context.eventName).toBe(eventName);
  });

  it('builds the ConnectionContext from the headers, case-insensitively', () => {
    const state = Buffer.from(JSON.stringify({ counter: 2 })).toString('base64');
    const h = parseEventHeaders(
      base('azure.webpubsub.user.message', { 'CE-USERID': 'alice', 'ce-subprotocol': 'json.webpubsub.azure.v1', 'ce-connectionstate': state }),
    );
    expect(h.context).toEqual({
      hub: 'chat',
      connectionId: 'c1',
      eventName: 'message',
      userId: 'alice',
      subprotocol: 'json.webpubsub.azure.v1',
      origin: 'localhost',
      states: { counter: 2 },
      clientProtocol: 'default',
    });
    expect(h.warnings).toEqual([]);
  });

  it('omits userId and subprotocol when the headers are absent; origin "" when absent', () => {
    const headers = base('azure.webpubsub.sys.connect');
    headers.delete('webhook-request-origin');
    const { context } = parseEventHeaders(headers);
    expect('userId' in context).toBe(false);
    expect('subprotocol' in context).toBe(false);
    expect(context.origin).toBe('');
  });

  it('turns an invalid ce-connectionState into {} with a warning that does not echo the value', () => {
    const h = parseEventHeaders(base('azure.webpubsub.sys.connected', { 'ce-connectionState': 'secret-looking-garbage!!' }));
    expect(h.context.states).toEqual({});
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).not.toContain('secret-looking-garbage');
  });

  it.each(['ce-type', 'ce-hub', 'ce-connectionId', 'ce-eventName'])('missing %s → 400 naming it', (name) => {
    const headers = base('azure.webpubsub.sys.connect');
    headers.delete(name);
    expect(() => parseEventHeaders(headers)).toThrow(BadRequestError);
    expect(() => parseEventHeaders(headers)).toThrow(new RegExp(name, 'i'));
  });

  it.each([
    ['azure.webpubsub.sys.joined', /not a Web PubSub event/],
    ['azure.webpubsub.user.', /not a Web PubSub event/],
    ['com.example.other', /not a Web PubSub event/],
  ])('invalid ce-type %s → 400', (type, message) => {
    expect(() => parseEventHeaders(base(type, { 'ce-eventName': 'x' }))).toThrow(message);
  });

  it('ce-eventName must agree with ce-type', () => {
    expect(() => parseEventHeaders(base('azure.webpubsub.user.message', { 'ce-eventName': 'other' }))).toThrow(/does not match/);
  });

  it('rejects an invalid hub name', () => {
    expect(() => parseEventHeaders(base('azure.webpubsub.sys.connect', { 'ce-hub': '1bad' }))).toThrow(/hub/);
  });
});

describe('parseCloudEvent bodies', () => {
  it('group presence: the group from the JSON body (docs/protocol/client-sdk-features.md §5)', () => {
    const joined = parseCloudEvent(parseEventHeaders(base('azure.webpubsub.gp.joined')), 'application/json', enc('{"group":"room 1"}'));
    expect(joined).toMatchObject({ kind: 'groupJoined', request: { group: 'room 1', context: { eventName: 'joined' } } });
    const left = parseCloudEvent(parseEventHeaders(base('azure.webpubsub.gp.left')), 'application/json', enc('{"group":"g"}'));
    expect(left).toMatchObject({ kind: 'groupLeft', request: { group: 'g' } });
    expect(() => parseCloudEvent(parseEventHeaders(base('azure.webpubsub.gp.left')), 'application/json', enc('{}'))).toThrow(BadRequestError);
    expect(() => parseEventHeaders(base('azure.webpubsub.gp.joined', { 'ce-eventName': 'left' }))).toThrow(BadRequestError);
  });

  it('connect: claims, query, headers, subprotocols, clientCertificates (docs/protocol/cloud-events.md §6)', () => {
    const body = {
      claims: { sub: ['alice'], role: ['webpubsub.joinLeaveGroup'] },
      query: { foo: ['bar'] },
      headers: { 'User-Agent': ['x'] },
      subprotocols: ['json.webpubsub.azure.v1'],
      clientCertificates: [{ thumbprint: 'ABC', content: '---' }],
    };
    const event = parseCloudEvent(parseEventHeaders(base('azure.webpubsub.sys.connect')), 'application/json', enc(JSON.stringify(body)));
    expect(event.kind).toBe('connect');
    if (event.kind !== 'connect') return;
    expect({ ...event.request.claims }).toEqual(body.claims);
    expect({ ...event.request.query }).toEqual(body.query);
    expect({ ...event.request.headers }).toEqual(body.headers);
    expect(event.request.subprotocols).toEqual(body.subprotocols);
    expect(event.request.clientCertificates).toEqual(body.clientCertificates);
  });

  it('connect: missing fields default to empty', () => {
    const event = parseCloudEvent(parseEventHeaders(base('azure.webpubsub.sys.connect')), 'application/json', enc('{}'));
    expect(event).toMatchObject({ kind: 'connect', request: { claims: {}, query: {}, headers: {}, subprotocols: [], clientCertificates: [] } });
  });

  it.each(['', 'not json', '[]', '{"claims": 5}', '{"subprotocols": "x"}', '{"claims": {"a": [{}]}}', '{"clientCertificates": [1]}'])(
    'connect: body %p → 400',
    (body) => {
      expect(() => parseCloudEvent(parseEventHeaders(base('azure.webpubsub.sys.connect')), 'application/json', enc(body))).toThrow(BadRequestError);
    },
  );

  it('disconnected: reason, also empty; empty body accepted', () => {
    const h = parseEventHeaders(base('azure.webpubsub.sys.disconnected'));
    expect(parseCloudEvent(h, 'application/json', enc('{"reason":"bye"}'))).toMatchObject({ kind: 'disconnected', request: { reason: 'bye' } });
    expect(parseCloudEvent(h, 'application/json', enc('{"reason":""}'))).toMatchObject({ request: { reason: '' } });
    expect(parseCloudEvent(h, null, new Uint8Array())).toMatchObject({ kind: 'disconnected' });
    expect(() => parseCloudEvent(h, 'application/json', enc('{"reason":1}'))).toThrow(BadRequestError);
  });

  it('connected: body ignored', () => {
    expect(parseCloudEvent(parseEventHeaders(base('azure.webpubsub.sys.connected')), 'application/json', enc('{}')).kind).toBe('connected');
  });

  describe('user events by Content-Type, parameters ignored (docs/protocol/cloud-events.md §7.1)', () => {
    const h = parseEventHeaders(base('azure.webpubsub.user.message'));
    it('text/plain → text', () => {
      expect(parseCloudEvent(h, 'text/plain; charset=utf-8', enc('héllo'))).toMatchObject({ request: { dataType: 'text', data: 'héllo' } });
    });
    it('application/json → json (parsed)', () => {
      expect(parseCloudEvent(h, 'Application/JSON', enc('{"a":[1]}'))).toMatchObject({ request: { dataType: 'json', data: { a: [1] } } });
    });
    it('application/octet-stream → binary bytes', () => {
      const event = parseCloudEvent(h, 'application/octet-stream', new Uint8Array([0, 255]));
      expect(event).toMatchObject({ request: { dataType: 'binary' } });
      if (event.kind === 'user' && event.request.dataType === 'binary') expect([...event.request.data]).toEqual([0, 255]);
    });
    it.each([null, 'application/x-protobuf', 'text/html', 'application/jsonx'])('Content-Type %p → 400', (ct) => {
      expect(() => parseCloudEvent(h, ct, enc('x'))).toThrow(/Content-Type/);
    });
    it('invalid JSON → 400; invalid UTF-8 text → 400', () => {
      expect(() => parseCloudEvent(h, 'application/json', enc('{'))).toThrow(BadRequestError);
      expect(() => parseCloudEvent(h, 'text/plain', new Uint8Array([0xff, 0xfe]))).toThrow(BadRequestError);
    });
    it('a body over the limit → 413', () => {
      expect(() => parseCloudEvent(h, 'application/octet-stream', new Uint8Array(MAX_EVENT_BODY_BYTES + 1))).toThrow(PayloadTooLargeError);
    });
  });
});

describe('prototype keys in headers', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('ce-type %p is a 400, not a TypeError', (type) => {
    const headers = new Headers({ 'ce-type': type, 'ce-hub': 'chat', 'ce-connectionId': 'c', 'ce-eventName': 'connect' });
    expect(() => parseEventHeaders(headers)).toThrow(BadRequestError);
  });
});

describe('property: the parser throws only documented typed errors', () => {
  const headerValue = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('azure.webpubsub.sys.connect', 'azure.webpubsub.user.message', 'chat', 'message', 'connect'),
  );
  it('for arbitrary headers and bodies', () => {
    fc.assert(
      fc.property(
        fc.record({
          type: headerValue,
          hub: headerValue,
          id: headerValue,
          name: headerValue,
          state: headerValue,
          ct: fc.oneof(fc.constant(null), fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'), fc.string({ maxLength: 20 })),
        }),
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.json().map(enc)),
        (h, body) => {
          const headers = new Headers();
          const set = (k: string, v: string | undefined) => {
            if (v !== undefined) {
              try {
                headers.set(k, v);
              } catch {
                // Not a legal header value: Headers refuses it before it ever reaches us.
              }
            }
          };
          set('ce-type', h.type);
          set('ce-hub', h.hub);
          set('ce-connectionId', h.id);
          set('ce-eventName', h.name);
          set('ce-connectionState', h.state);
          try {
            parseCloudEvent(parseEventHeaders(headers), h.ct, body);
          } catch (e) {
            expect(e).toBeInstanceOf(WebPubSubError);
            expect([400, 413]).toContain((e as WebPubSubError).status);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('for mutated valid connect bodies', () => {
    const h = parseEventHeaders(base('azure.webpubsub.sys.connect'));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('claims', 'query', 'headers', 'subprotocols', 'clientCertificates', 'x'), fc.jsonValue()), (body) => {
        try {
          const event = parseCloudEvent(h, 'application/json', enc(JSON.stringify(body)));
          expect(event.kind).toBe('connect');
        } catch (e) {
          expect(e).toBeInstanceOf(BadRequestError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('MQTT events (docs/protocol/cloud-events.md §10)', () => {
  const mqttHeaders = (type: string) => base(type, { 'ce-subprotocol': 'mqtt', 'ce-physicalConnectionId': 'p1', 'ce-sessionId': 's1' });

  it('marks MQTT connections and carries the physical connection and session ids', () => {
    const { context } = parseEventHeaders(mqttHeaders('azure.webpubsub.sys.connected'));
    expect(context.clientProtocol).toBe('mqtt');
    expect(context.mqtt).toEqual({ physicalConnectionId: 'p1', sessionId: 's1' });
    // A subprotocol named mqtt without a physical connection id is not an MQTT connection (as express decides).
    expect(parseEventHeaders(base('azure.webpubsub.sys.connected', { 'ce-subprotocol': 'mqtt' })).context.clientProtocol).toBe('default');
  });

  it('reads the CONNECT properties of an MQTT connect and refuses a missing mqtt object', () => {
    const h = parseEventHeaders(mqttHeaders('azure.webpubsub.sys.connect'));
    const body = {
      claims: {},
      query: {},
      headers: {},
      subprotocols: ['mqtt'],
      mqtt: { protocolVersion: 5, username: 'u', password: 'cA==', userProperties: [{ name: 'a', value: 'b' }] },
    };
    const event = parseCloudEvent(h, 'application/json', enc(JSON.stringify(body)));
    expect(event.kind === 'connect' && event.request.mqtt).toEqual(body.mqtt);
    expect(() => parseCloudEvent(h, 'application/json', enc('{}'))).toThrow(BadRequestError);
    expect(() => parseCloudEvent(h, 'application/json', enc(JSON.stringify({ mqtt: { protocolVersion: 5, userProperties: [1] } })))).toThrow(BadRequestError);
  });

  it('reads the disconnect packet of an MQTT disconnected', () => {
    const h = parseEventHeaders(mqttHeaders('azure.webpubsub.sys.disconnected'));
    const mqtt = { initiatedByClient: true, disconnectPacket: { code: 0, userProperties: [{ name: 'bye', value: 'now' }] } };
    const event = parseCloudEvent(h, 'application/json', enc(JSON.stringify({ reason: '', mqtt })));
    expect(event.kind === 'disconnected' && event.request.mqtt).toEqual(mqtt);
  });
});
