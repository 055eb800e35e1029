import fc from 'fast-check';
import { InternalServerError } from '../../../../shared/http/errors';
import { toConnectReply, toNonBlockingReply, toUserEventReply } from '../../../../shared/upstream/replies';
import type { ConnectRequest } from '../../../../shared/upstream/event-types';

const request: ConnectRequest = {
  context: { hub: 'chat', connectionId: 'c', eventName: 'connect', origin: 'localhost', states: {} },
  claims: {},
  query: {},
  headers: {},
  subprotocols: ['json.webpubsub.azure.v1'],
  clientCertificates: [],
};
const ROLES = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];
const decodeState = (h: string | undefined) => JSON.parse(Buffer.from(h!, 'base64').toString('utf8')) as unknown;

describe('connect replies (docs/protocol/cloud-events.md §6)', () => {
  it('passes MQTT user properties to the CONNACK for MQTT connections only, and refuses bad ones', () => {
    const mqttRequest: ConnectRequest = { ...request, context: { ...request.context, clientProtocol: 'mqtt' }, subprotocols: ['mqtt'] };
    const props = [{ name: 'welcome', value: 'yes' }];
    expect(JSON.parse(String(toConnectReply(mqttRequest, { mqtt: { userProperties: props } }, ROLES).body))).toEqual({ mqtt: { userProperties: props } });
    expect(toConnectReply(request, { mqtt: { userProperties: props } }, ROLES).status).toBe(204);
    expect(() => toConnectReply(mqttRequest, { mqtt: { userProperties: [{ name: 1 }] } } as never, ROLES)).toThrow(InternalServerError);
  });

  it('no result → 204 empty', () => {
    expect(toConnectReply(request, undefined, ROLES)).toEqual({ status: 204, headers: {} });
  });
  it('only empty fields → 204 (no "subprotocol": "")', () => {
    expect(toConnectReply(request, { groups: [], roles: [], subprotocol: '' }, ROLES).status).toBe(204);
  });
  it('fields → 200 JSON with exactly the given fields', () => {
    const reply = toConnectReply(
      request,
      { userId: 'bob', groups: ['g1', 'g1'], roles: ['webpubsub.sendToGroup.g1'], subprotocol: 'json.webpubsub.azure.v1' },
      ROLES,
    );
    expect(reply.status).toBe(200);
    expect(reply.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8' });
    expect(JSON.parse(reply.body as string)).toEqual({
      userId: 'bob',
      groups: ['g1'],
      roles: ['webpubsub.sendToGroup.g1'],
      subprotocol: 'json.webpubsub.azure.v1',
    });
  });
  it('a changed state rides along as ce-connectionState', () => {
    const reply = toConnectReply(request, undefined, ROLES, { n: 1 });
    expect(decodeState(reply.headers?.['ce-connectionState'])).toEqual({ n: 1 });
  });
  it('refuses roles outside allowedRoles (the hub policy), and any role when allowedRoles is undefined', () => {
    expect(() => toConnectReply(request, { roles: ['webpubsub.joinLeaveGroup'] }, ['webpubsub.sendToGroup'])).toThrow(/outside the hub's allowedRoles/);
    expect(() => toConnectReply(request, { roles: ['webpubsub.sendToGroup'] }, undefined)).toThrow(InternalServerError);
  });
  it("grants a role outside allowedRoles only when the hub's allowConnectRole accepts it for this request", () => {
    const seen: string[] = [];
    const onlyKitchen = (role: string, r: ConnectRequest) => {
      seen.push(r.context.connectionId);
      return role === 'webpubsub.sendToGroup.kitchen';
    };
    const reply = toConnectReply(request, { roles: ['webpubsub.sendToGroup.kitchen'] }, [], undefined, onlyKitchen);
    expect(JSON.parse(String(reply.body))).toEqual({ roles: ['webpubsub.sendToGroup.kitchen'] });
    expect(seen).toEqual(['c']);
    expect(() => toConnectReply(request, { roles: ['webpubsub.sendToGroup.kitchen', 'webpubsub.sendToGroup'] }, [], undefined, onlyKitchen)).toThrow(
      /outside the hub's allowedRoles: webpubsub.sendToGroup$/,
    );
  });
  it.each([
    [{ userId: '' }, /userId/],
    [{ groups: [' '] }, /group/],
    [{ roles: ['admin'] }, /role/],
    [{ subprotocol: 'mqtt' }, /subprotocol/],
  ])('a result the service could not use %p → 500', (result, message) => {
    expect(() => toConnectReply(request, result, ROLES)).toThrow(message);
  });
});

describe('user event replies (docs/protocol/cloud-events.md §7.2)', () => {
  it('no result → 204', () => expect(toUserEventReply(undefined).status).toBe(204));
  it('text → 200 text/plain; charset=utf-8', () => {
    expect(toUserEventReply({ dataType: 'text', data: 'hi' })).toEqual({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'hi' });
  });
  it('json → 200 application/json; charset=utf-8 with the JSON text (a string stays quoted)', () => {
    expect(toUserEventReply({ dataType: 'json', data: 'hi' })).toEqual({
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '"hi"',
    });
    expect(toUserEventReply({ dataType: 'json', data: { a: 1 } }).body).toBe('{"a":1}');
  });
  it('binary → 200 application/octet-stream bytes (Uint8Array or ArrayBuffer)', () => {
    const r = toUserEventReply({ dataType: 'binary', data: new Uint8Array([1, 2]).buffer });
    expect(r.headers).toEqual({ 'Content-Type': 'application/octet-stream' });
    expect([...(r.body as Uint8Array)]).toEqual([1, 2]);
  });
  it('state header only when given', () => {
    expect(toUserEventReply(undefined).headers).toEqual({});
    expect(decodeState(toUserEventReply(undefined, { a: 'b' }).headers?.['ce-connectionState'])).toEqual({ a: 'b' });
  });
  it('non-blocking events → 204 without state', () => {
    expect(toNonBlockingReply()).toEqual({ status: 204 });
  });
  it('property: any result maps to a 200/204 reply or an InternalServerError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(undefined),
          fc.record({ dataType: fc.constantFrom('text', 'json', 'binary', 'xml'), data: fc.oneof(fc.jsonValue(), fc.uint8Array(), fc.constant(undefined)) }),
        ),
        (result) => {
          try {
            const reply = toUserEventReply(result as never);
            expect([200, 204]).toContain(reply.status);
            if (reply.status === 200) expect(reply.headers?.['Content-Type']).toBeDefined();
          } catch (e) {
            expect(e).toBeInstanceOf(InternalServerError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('property: any connect result maps to 200/204 or InternalServerError; 200 bodies hold only known, non-empty fields', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            userId: fc.string(),
            groups: fc.array(fc.string()),
            roles: fc.array(fc.constantFrom(...ROLES, 'webpubsub.sendToGroup.x', 'bad')),
            subprotocol: fc.constantFrom('', 'json.webpubsub.azure.v1', 'x'),
          },
          { requiredKeys: [] },
        ),
        (result) => {
          try {
            const reply = toConnectReply(request, result, ROLES);
            if (reply.status === 200) {
              const body = JSON.parse(reply.body as string) as Record<string, unknown>;
              for (const [k, v] of Object.entries(body)) {
                expect(['userId', 'groups', 'roles', 'subprotocol']).toContain(k);
                expect(v === '' || (Array.isArray(v) && v.length === 0)).toBe(false);
              }
            } else expect(reply.status).toBe(204);
          } catch (e) {
            expect(e).toBeInstanceOf(InternalServerError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
