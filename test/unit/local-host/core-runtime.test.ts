import { createCoreRuntime, Disposable } from '../../../local-host/core-runtime';

const noLog = () => {};
const metadata = (name: string) => ({ name, bindings: { t: { type: 'httpTrigger', direction: 'in' as const } } });

describe('createCoreRuntime', () => {
  it('captures registrations by their exact name (the worker finds functions by id, case-sensitively)', () => {
    const runtime = createCoreRuntime(noLog);
    const register = runtime.exports.registerFunction as (m: unknown, cb: () => unknown) => Disposable;
    const handler = () => 'ok';
    register(metadata('Negotiate'), handler);
    expect(runtime.registrations.get('Negotiate')?.callback).toBe(handler);
    expect(runtime.registrations.get('negotiate')).toBeUndefined();
  });

  it("refuses a second function whose name differs only in case (the host's function names are case-insensitive)", () => {
    const runtime = createCoreRuntime(noLog);
    const register = runtime.exports.registerFunction as (m: unknown, cb: () => unknown) => Disposable;
    register(metadata('Negotiate'), () => 0);
    expect(() => register(metadata('negotiate'), () => 0)).toThrow(/already been registered/);
  });

  it('refuses registrations after startup, like the worker', () => {
    const runtime = createCoreRuntime(noLog);
    runtime.lockRegistrations();
    expect(() => (runtime.exports.registerFunction as (m: unknown, cb: () => unknown) => void)(metadata('late'), () => 0)).toThrow(/during app startup/);
  });

  it('removes a registration or a hook when its Disposable is disposed', () => {
    const runtime = createCoreRuntime(noLog);
    const d = (runtime.exports.registerFunction as (m: unknown, cb: () => unknown) => Disposable)(metadata('a'), () => 0);
    const hook = () => {};
    const h = (runtime.exports.registerHook as (n: string, cb: () => void) => Disposable)('preInvocation', hook);
    expect(runtime.hooks('preInvocation')).toEqual([hook]);
    d.dispose();
    h.dispose();
    h.dispose();
    expect(runtime.registrations.size).toBe(0);
    expect(runtime.hooks('preInvocation')).toEqual([]);
  });

  it('throws a RangeError for an unknown hook name (the library relies on the type)', () => {
    const runtime = createCoreRuntime(noLog);
    expect(() => (runtime.exports.registerHook as (n: string, cb: () => void) => void)('onWhatever', () => {})).toThrow(RangeError);
  });

  it('keeps the programming model the library sets', () => {
    const runtime = createCoreRuntime(noLog);
    const model = { name: '@azure/functions', version: '4', getInvocationModel: () => ({}) as never };
    (runtime.exports.setProgrammingModel as (m: unknown) => void)(model);
    expect(runtime.programmingModel()).toBe(model);
    expect((runtime.exports.getProgrammingModel as () => unknown)()).toBe(model);
  });

  it('passes library logs to the host log', () => {
    const lines: string[] = [];
    const runtime = createCoreRuntime((level, category, message) => lines.push(`${level}/${category}: ${message}`));
    (runtime.exports.log as (l: string, c: string, m: string) => void)('warning', 'system', 'careful');
    expect(lines).toEqual(['warning/system: careful']);
  });
});

describe('Disposable', () => {
  it('runs its callback once, and from() disposes every item', () => {
    let n = 0;
    const d = Disposable.from(new Disposable(() => n++), { dispose: () => n++ });
    d.dispose();
    d.dispose();
    expect(n).toBe(2);
  });
});
