import { Invocations, type InvocationOutcome } from '../../../../emulator/client/invocations';

function setup(options = { timeoutMs: 1000, maxPending: 2 }) {
  const sent: Record<string, unknown>[] = [];
  const invocations = new Invocations((frame) => sent.push(JSON.parse(frame) as Record<string, unknown>), options);
  const deferred = () => {
    let resolve!: (o: InvocationOutcome) => void;
    const promise = new Promise<InvocationOutcome>((r) => (resolve = r));
    return { promise, resolve };
  };
  return { sent, invocations, deferred };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('Invocations', () => {
  afterEach(() => jest.useRealTimers());

  it('answers with the upstream reply, once', async () => {
    const { sent, invocations } = setup();
    invocations.start('1', async () => ({ ok: true, message: { dataType: 'json', data: Buffer.from('{"a":1}') } }));
    await flush();
    expect(sent).toEqual([{ type: 'invokeResponse', invocationId: '1', success: true, dataType: 'json', data: { a: 1 } }]);
    expect(invocations.size).toBe(0);
  });

  it('maps a failed or throwing upstream call to InternalServerError', async () => {
    const { sent, invocations } = setup();
    invocations.start('1', async () => ({ ok: false, reason: 'the event handler answered 503' }));
    invocations.start('2', () => Promise.reject(new Error('socket hang up')));
    await flush();
    expect(sent).toEqual([
      { type: 'invokeResponse', invocationId: '1', success: false, error: { name: 'InternalServerError', message: 'the event handler answered 503' } },
      { type: 'invokeResponse', invocationId: '2', success: false, error: { name: 'InternalServerError', message: 'socket hang up' } },
    ]);
  });

  it('times out, and drops the late reply', async () => {
    jest.useFakeTimers();
    const { sent, invocations, deferred } = setup();
    const d = deferred();
    invocations.start('1', () => d.promise);
    jest.advanceTimersByTime(1000);
    d.resolve({ ok: true });
    jest.useRealTimers();
    await flush();
    expect(sent).toEqual([
      { type: 'invokeResponse', invocationId: '1', success: false, error: { name: 'Timeout', message: 'the event handler did not answer within 1000 ms' } },
    ]);
  });

  it('cancels, ignores a cancel of an unknown id, and drops the late reply', async () => {
    const { sent, invocations, deferred } = setup();
    const d = deferred();
    invocations.start('1', () => d.promise);
    invocations.cancel('1');
    invocations.cancel('nope');
    d.resolve({ ok: true });
    await flush();
    expect(sent).toEqual([
      { type: 'invokeResponse', invocationId: '1', success: false, error: { name: 'Cancelled', message: 'the invocation was cancelled by the client' } },
    ]);
  });

  it('refuses a duplicate id in flight and more than maxPending invocations', async () => {
    const { sent, invocations, deferred } = setup();
    const d = deferred();
    invocations.start('1', () => d.promise);
    invocations.start('1', () => d.promise);
    invocations.start('2', () => d.promise);
    invocations.start('3', () => d.promise);
    expect(sent.map((m) => (m.error as { name: string }).name)).toEqual(['BadRequest', 'TooManyRequests']);
    d.resolve({ ok: true });
    await flush();
    expect(sent.slice(2)).toEqual([
      { type: 'invokeResponse', invocationId: '1', success: true },
      { type: 'invokeResponse', invocationId: '2', success: true },
    ]);
  });

  it('sends nothing after dispose', async () => {
    const { sent, invocations, deferred } = setup();
    const d = deferred();
    invocations.start('1', () => d.promise);
    invocations.dispose();
    d.resolve({ ok: true });
    await flush();
    expect(sent).toEqual([]);
  });
});
