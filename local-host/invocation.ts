import type { CoreInvocationContext, RpcInvocationRequest, RpcInvocationResponse, RpcLogCategory, RpcLogLevel } from './core-types';
import type { CoreRuntime, Registration } from './core-runtime';

export type InvocationLog = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

/**
 * Runs one invocation the way the Node.js worker does (azure-functions-nodejs-worker InvocationHandler):
 * getArguments → preInvocation hooks → invokeFunction → postInvocation hooks → getResponse.
 * A function error (or one set by a postInvocation hook) is thrown to the caller, unless it is null or undefined.
 */
export async function invokeFunction(
  runtime: CoreRuntime,
  registration: Registration,
  request: RpcInvocationRequest & { invocationId: string },
  log: InvocationLog,
): Promise<RpcInvocationResponse> {
  const model = runtime.programmingModel();
  if (!model) throw new Error('The app registered functions without a programming model.');
  const coreCtx: CoreInvocationContext = {
    invocationId: request.invocationId,
    request,
    metadata: registration.metadata,
    log,
  };
  // @azure/functions answers synchronously; awaiting only a promise saves a turn of the microtask queue.
  const modelOrPromise = model.getInvocationModel(coreCtx);
  const invocationModel = modelOrPromise instanceof Promise ? await modelOrPromise : modelOrPromise;
  const { context, inputs } = await invocationModel.getArguments();
  const hookData: Record<string, unknown> = {};
  const appHookData = runtime.appHookData;

  const pre = { hookData, appHookData, invocationContext: context, inputs, functionCallback: registration.callback };
  coreCtx.state = 'preInvocationHooks';
  for (const hook of runtime.hooks('preInvocation')) await hook(pre);
  coreCtx.state = 'invocation';

  let result: unknown;
  let error: unknown;
  try {
    result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
  } catch (err) {
    error = err;
  }

  const post = { hookData, appHookData, invocationContext: context, inputs: pre.inputs, result, error };
  coreCtx.state = 'postInvocationHooks';
  for (const hook of runtime.hooks('postInvocation')) await hook(post);
  coreCtx.state = undefined;

  // The worker rethrows any value but null and undefined (`throw 0` and `throw ''` fail the invocation too).
  if (post.error !== null && post.error !== undefined) throw post.error;
  return invocationModel.getResponse(context, post.result);
}
