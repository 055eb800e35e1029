import { createCoreRuntime, type Registration } from '../../../local-host/core-runtime';
import type { InvocationModel, ProgrammingModel } from '../../../local-host/core-types';
import { invokeFunction } from '../../../local-host/invocation';

/** A runtime whose programming model calls the callback and answers its result as the response. */
function runtimeWith(callback: () => unknown) {
  const runtime = createCoreRuntime(() => {});
  const model: ProgrammingModel = {
    name: 'test',
    version: '1',
    getInvocationModel: (): InvocationModel => ({
      getArguments: async () => ({ context: {}, inputs: [] }),
      invokeFunction: async (_ctx, _inputs, cb) => cb(),
      getResponse: async (_ctx, result) => ({ returnValue: { string: String(result) } }),
    }),
  };
  (runtime.exports.setProgrammingModel as (m: ProgrammingModel) => void)(model);
  const registration: Registration = { metadata: { name: 'f', bindings: {} }, callback };
  return { runtime, registration };
}

const run = (callback: () => unknown) => {
  const { runtime, registration } = runtimeWith(callback);
  return invokeFunction(runtime, registration, { invocationId: 'i-1' }, () => {});
};

describe('invokeFunction', () => {
  it('answers the function result', async () => {
    expect(await run(() => 'ok')).toEqual({ returnValue: { string: 'ok' } });
  });

  it.each([
    ['an Error', new Error('boom')],
    ['0', 0],
    ['an empty string', ''],
    ['false', false],
  ])('rethrows any thrown value but null and undefined, as the worker does: %s', async (_name, value) => {
    await expect(
      run(() => {
        throw value;
      }),
    ).rejects.toBe(value);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('does not fail the invocation for a thrown %s (the worker treats it as no error)', async (_name, value) => {
    await expect(
      run(() => {
        throw value;
      }),
    ).resolves.toEqual({ returnValue: { string: 'undefined' } });
  });
});
