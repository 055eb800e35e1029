import { createEventHandler } from '../../../../functions/event-handler';
import { bodyText, header, invocation, request, runtimeFor } from '../../../support/functions-harness';

async function options(env: Record<string, string>, headers: Record<string, string>) {
  const { context } = invocation();
  return (await createEventHandler(runtimeFor(env))(request({ method: 'OPTIONS', url: 'http://localhost:7071/api/eventhandler', headers }), context))!;
}

describe('OPTIONS /api/eventhandler — abuse protection (docs/protocol/cloud-events.md §2)', () => {
  it('200 + WebHook-Allowed-Origin for the endpoint host name (localhost for the emulator)', async () => {
    const r = await options({}, { 'WebHook-Request-Origin': 'localhost', 'ce-awpsversion': '1.0' });
    expect(r.status).toBe(200);
    expect(header(r, 'WebHook-Allowed-Origin')).toBe('localhost');
  });
  it('accepts host:port and a cloud host, case-insensitively', async () => {
    const cloud = { WebPubSubConnectionString: 'Endpoint=https://contoso.webpubsub.azure.com;AccessKey=k;Version=1.0;' };
    expect((await options({}, { 'WebHook-Request-Origin': 'LocalHost:8080' })).status).toBe(200);
    expect((await options(cloud, { 'WebHook-Request-Origin': 'Contoso.WebPubSub.Azure.com' })).status).toBe(200);
  });
  it('accepts an extra host from EventHandlerAllowedOrigins', async () => {
    const r = await options({ EventHandlerAllowedOrigins: 'tunnel.example.com' }, { 'WebHook-Request-Origin': 'tunnel.example.com' });
    expect(r.status).toBe(200);
    expect(header(r, 'WebHook-Allowed-Origin')).toBe('tunnel.example.com');
  });
  it('400 with a clear message for another origin', async () => {
    const r = await options({}, { 'WebHook-Request-Origin': 'evil.example.com' });
    expect(r.status).toBe(400);
    expect(header(r, 'WebHook-Allowed-Origin')).toBeUndefined();
    expect(bodyText(r)).toMatch(/evil\.example\.com.*EventHandlerAllowedOrigins/);
  });
  it('400 without WebHook-Request-Origin', async () => {
    const r = await options({}, {});
    expect(r.status).toBe(400);
    expect(bodyText(r)).toMatch(/WebHook-Request-Origin/);
  });
});
