import { InvocationError, WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, once, RawClient, start, type RecordedEvent, type UpstreamReply } from '../../support/emulator-harness';

/** client 1.1.0's invokeEvent against the emulator (docs/protocol/client-sdk-features.md §2). */
describe('@azure/web-pubsub-client 1.1.0 invokeEvent against the emulator', () => {
  let emulator: RunningEmulator;
  let upstream: FakeUpstream;
  const clients: WebPubSubClient[] = [];
  const raws: RawClient[] = [];
  /** Replies held back by the "slow" event, released at the end so no request outlives the suite. */
  const held: (() => void)[] = [];

  beforeAll(async () => {
    upstream = new FakeUpstream();
    upstream.reply = (e) => replyTo(e);
    const base = await upstream.listen();
    emulator = await start({ hubs: { chat: { eventHandlers: [{ urlTemplate: `${base}/eventhandler`, systemEvents: [] }] } }, invokeTimeoutMs: 1500 });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop();
    for (const r of raws.splice(0)) r.close();
  });
  afterAll(async () => {
    for (const release of held.splice(0)) release();
    await emulator.close();
    await upstream.close();
  });

  function replyTo(e: RecordedEvent): UpstreamReply | Promise<UpstreamReply> {
    const name = String(e.headers['ce-eventname']);
    switch (name) {
      case 'json':
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'ce-connectionState': Buffer.from('{"n":1}').toString('base64') },
          body: JSON.stringify({ got: JSON.parse(e.body.toString()) as unknown, type: e.headers['content-type'] }),
        };
      case 'text':
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `echo ${e.body.toString()}` };
      case 'binary':
        return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([...e.body].reverse()) };
      case 'empty':
        return { status: 204 };
      case 'fail':
        return { status: 500, body: 'boom' };
      case 'slow':
        return new Promise((resolve) => held.push(() => resolve({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'late' })));
      default:
        return { status: 200 };
    }
  }

  async function sdkClient(): Promise<WebPubSubClient> {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', { userId: 'ivy' }) },
      { protocol: WebPubSubJsonProtocol(), keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } },
    );
    clients.push(client);
    const connected = once<unknown>((l) => client.on('connected', l));
    await client.start();
    await connected;
    return client;
  }

  it('round-trips a JSON invocation: the upstream reply body and content type become the result', async () => {
    const client = await sdkClient();
    const result = await client.invokeEvent('json', { order: 7 }, 'json');
    expect(result.dataType).toBe('json');
    expect(result.data).toEqual({ got: { order: 7 }, type: 'application/json' });
    // The invocation went upstream as a user event of that name, from that user.
    const event = upstream.requests.find((r) => r.headers['ce-type'] === 'azure.webpubsub.user.json')!;
    expect(event.headers['ce-userid']).toBe('ivy');
  });

  it('round-trips text and binary replies', async () => {
    const client = await sdkClient();
    const text = await client.invokeEvent('text', 'hello', 'text');
    expect(text).toMatchObject({ dataType: 'text', data: 'echo hello' });
    const binary = await client.invokeEvent('binary', new Uint8Array([1, 2, 3]).buffer, 'binary');
    expect(binary.dataType).toBe('binary');
    expect([...new Uint8Array(binary.data as ArrayBuffer)]).toEqual([3, 2, 1]);
  });

  it('resolves with no data when the upstream answers 204', async () => {
    const client = await sdkClient();
    const result = await client.invokeEvent('empty', 'x', 'text');
    expect(result.data).toBeUndefined();
    expect(result.dataType).toBeUndefined();
  });

  it('rejects with InvocationError carrying the service error when the upstream fails', async () => {
    const client = await sdkClient();
    const error = (await client.invokeEvent('fail', 'x', 'text').catch((e: unknown) => e)) as InvocationError;
    expect(error).toBeInstanceOf(InvocationError);
    expect(error.errorDetail).toEqual({ name: 'InternalServerError', message: 'the event handler answered 500' });
  });

  it('rejects with a Timeout error when the upstream does not answer in time', async () => {
    const client = await sdkClient();
    const error = (await client.invokeEvent('slow', 'x', 'text').catch((e: unknown) => e)) as InvocationError;
    expect(error).toBeInstanceOf(InvocationError);
    expect(error.errorDetail?.name).toBe('Timeout');
  });

  it('cancels: the SDK rejects at once and tells the service, which answers Cancelled', async () => {
    const client = await sdkClient();
    const controller = new AbortController();
    const pending = client.invokeEvent('slow', 'x', 'text', { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = (await pending.catch((e: unknown) => e)) as InvocationError;
    expect(error).toBeInstanceOf(InvocationError);
    expect(error.message).toBe('Invocation cancelled by abortSignal.');

    // The same exchange on a raw socket shows the service's side: the cancel is answered before the upstream.
    const raw = await RawClient.open(await clientUrl(emulator, 'chat'), 'json.webpubsub.azure.v1');
    raws.push(raw);
    await raw.json(0);
    raw.send({ type: 'invoke', invocationId: 'c1', target: 'event', event: 'slow', dataType: 'text', data: 'x' });
    raw.send({ type: 'cancelInvocation', invocationId: 'c1' });
    expect(await raw.json(1)).toEqual({
      type: 'invokeResponse',
      invocationId: 'c1',
      success: false,
      error: { name: 'Cancelled', message: 'the invocation was cancelled by the client' },
    });
  });

  it('answers a malformed invocation with BadRequest and keeps the connection', async () => {
    const raw = await RawClient.open(await clientUrl(emulator, 'chat'), 'json.webpubsub.azure.v1');
    raws.push(raw);
    await raw.json(0);
    raw.send({ type: 'invoke', invocationId: 'b1', target: 'client', event: 'x' });
    expect(await raw.json(1)).toMatchObject({ type: 'invokeResponse', invocationId: 'b1', success: false, error: { name: 'BadRequest' } });
    raw.send({ type: 'invoke', invocationId: 'b2', event: 'text', dataType: 'text', data: 'still here' });
    expect(await raw.json(2)).toEqual({ type: 'invokeResponse', invocationId: 'b2', success: true, dataType: 'text', data: 'echo still here' });
  });
});
