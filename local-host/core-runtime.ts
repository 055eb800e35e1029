import type { FunctionCallback, FunctionMetadata, HookCallback, HookName, ProgrammingModel, RpcLogCategory, RpcLogLevel } from './core-types';

/** A function the app registered through `app.http(...)` / `app.generic(...)`. */
export interface Registration {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}

/** What the host knows about the app after loading it, and the module object handed to the app. */
export interface CoreRuntime {
  /** The exports of `@azure/functions-core` as the app's `require` sees them. */
  readonly exports: Record<string, unknown>;
  /** By exact function name (the function id the worker is invoked with; case-sensitive). */
  readonly registrations: ReadonlyMap<string, Registration>;
  readonly appHookData: Record<string, unknown>;
  /** One `hookData` for appStart and appTerminate, as the worker shares it between the two. */
  readonly appLifecycleHookData: Record<string, unknown>;
  programmingModel(): ProgrammingModel | undefined;
  hooks(name: HookName): readonly HookCallback[];
  /** The worker refuses registrations once startup is over; so does the host. */
  lockRegistrations(): void;
}

const hookNames: readonly HookName[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

/** Same contract as the worker's `Disposable` (a VS Code-style one-shot dispose). */
export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  #onDispose: (() => unknown) | undefined;
  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }
  dispose(): unknown {
    const fn = this.#onDispose;
    this.#onDispose = undefined;
    return fn?.();
  }
}

/**
 * Builds the host's stand-in for `@azure/functions-core`, the module the Node.js worker injects
 * (types-core/index.d.ts in azure-functions-nodejs-library). `@azure/functions` calls
 * `setProgrammingModel` and `registerFunction` on it from `app.http(...)`, so registrations are captured
 * here instead of being skipped in "test mode".
 */
export function createCoreRuntime(log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => void): CoreRuntime {
  const registrations = new Map<string, Registration>();
  const hooks = new Map<HookName, HookCallback[]>(hookNames.map((n) => [n, []]));
  let model: ProgrammingModel | undefined;
  let locked = false;

  const exports: Record<string, unknown> = {
    version: 'local-host',
    hostVersion: '4.0.0-local',
    Disposable,
    setProgrammingModel(next: ProgrammingModel) {
      model = next;
    },
    getProgrammingModel() {
      return model;
    },
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      if (locked) throw new Error('A function can only be registered during app startup.');
      // Function names are case-insensitive to the Functions host (two that differ in case collide), but
      // the worker finds a function by its id exactly: registrations are kept under the exact name.
      const lower = metadata.name.toLowerCase();
      if ([...registrations.keys()].some((name) => name.toLowerCase() === lower)) {
        throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
      }
      registrations.set(metadata.name, { metadata, callback });
      return new Disposable(() => registrations.delete(metadata.name));
    },
    registerHook(name: string, callback: HookCallback) {
      const list = hooks.get(name as HookName);
      // The worker throws a RangeError here; @azure/functions relies on the type for its log-hook message.
      if (!list) throw new RangeError(`"${name}" is not a valid hook name.`);
      list.push(callback);
      return new Disposable(() => {
        const i = list.indexOf(callback);
        if (i >= 0) list.splice(i, 1);
      });
    },
    log,
  };

  return {
    exports,
    registrations,
    appHookData: {},
    appLifecycleHookData: {},
    programmingModel: () => model,
    hooks: (name) => hooks.get(name) ?? [],
    lockRegistrations: () => {
      locked = true;
    },
  };
}
