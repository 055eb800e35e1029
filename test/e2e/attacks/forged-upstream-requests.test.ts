import { createEventHandler } from '../../../functions/event-handler';
import { signConnectionId } from '../../../shared/auth/upstream-signature';
import { DEV_KEY, eventHeaders, invocation, request, runtimeFor } from '../../support/functions-harness';

/**
 * Forged upstream requests to /api/eventhandler (docs/protocol/cloud-events.md §2, §4): every one is refused before the
 * hub runs, and a genuine request is accepted as a control.
 */

const OLD_KEY = 'rotated-out-key-0123456789-0123456789-0123';
const body = JSON.stringify({ claims: {}, query: {}, headers: {}, subprotocols: [], clientCertificates: [] });

async function post(headers: Record<string, string>, env: Record<string, string> = {}) {
  const { context } = invocation();
  const response = await createEventHandler(runtimeFor(env))(request({ method: 'POST', url: 'http://localhost/api/eventhandler', headers, body }), context);
  return { status: response.status ?? 200, body: String(response.body ?? '') };
}

describe('Upstream request forgery', () => {
  it('control: a genuine signature is accepted', async () => {
    expect((await post(eventHeaders('azure.webpubsub.sys.connect', { userId: 'alice' }))).status).toBeLessThan(300);
  });
  it('ce-signature missing → 401', async () => {
    const res = await post(eventHeaders('azure.webpubsub.sys.connect', { userId: 'alice', key: null }));
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/ce-signature/);
  });
  it('ce-signature wrong → 401', async () => {
    const headers = eventHeaders('azure.webpubsub.sys.connect', { userId: 'alice' });
    headers['ce-signature'] = `sha256=${'ab'.repeat(32)}`;
    expect((await post(headers)).status).toBe(401);
  });
  it('ce-signature made for another connection id → 401', async () => {
    const headers = eventHeaders('azure.webpubsub.sys.connect', { userId: 'alice', connectionId: 'victim' });
    headers['ce-signature'] = signConnectionId('attacker', [DEV_KEY]);
    expect((await post(headers)).status).toBe(401);
  });
  it('ce-signature made with a rotated-out key (secondary removed) → 401; accepted while it was the secondary', async () => {
    const headers = eventHeaders('azure.webpubsub.sys.connect', { userId: 'alice', key: OLD_KEY });
    expect((await post(headers, { WebPubSubSecondaryAccessKey: OLD_KEY })).status).toBeLessThan(300);
    expect((await post(headers)).status).toBe(401);
  });
  it('WebHook-Request-Origin from an unknown host → 400 without WebHook-Allowed-Origin', async () => {
    const { context } = invocation();
    const handler = createEventHandler(runtimeFor({}));
    const res = await handler(
      request({
        method: 'OPTIONS',
        url: 'http://localhost/api/eventhandler',
        headers: { 'WebHook-Request-Origin': 'evil.example.com', 'ce-awpsversion': '1.0' },
      }),
      context,
    );
    expect(res.status).toBe(400);
    expect(new Headers(res.headers as Record<string, string>).get('webhook-allowed-origin')).toBeNull();
    const ok = await handler(
      request({ method: 'OPTIONS', url: 'http://localhost/api/eventhandler', headers: { 'WebHook-Request-Origin': 'localhost', 'ce-awpsversion': '1.0' } }),
      invocation().context,
    );
    expect(new Headers(ok.headers as Record<string, string>).get('webhook-allowed-origin')).toBe('localhost');
  });
  it('WebHook-Request-Origin with CR/LF around an allowed host → 400 (never echoed into a header)', async () => {
    const { context } = invocation();
    const res = await createEventHandler(runtimeFor({}))(
      // Fetch Headers refuse raw CR/LF, so the value arrives as the URL parser would have seen it after a tab.
      request({ method: 'OPTIONS', url: 'http://localhost/api/eventhandler', headers: { 'WebHook-Request-Origin': 'local\thost' } }),
      context,
    );
    expect(res.status).toBe(400);
  });
});
