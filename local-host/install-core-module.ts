import Module from 'node:module';

/** The id `@azure/functions` requires (src/utils/tryGetCoreApiLazy.ts); the worker provides it, not npm. */
export const coreModuleId = '@azure/functions-core';

type ResolveFilename = (request: string, ...rest: unknown[]) => string;
type Load = (request: string, ...rest: unknown[]) => unknown;

/**
 * Makes `require('@azure/functions-core')` return `exports` for every module loaded afterwards,
 * which is what the Functions worker does before it loads an app. Must run before the app is required.
 */
export function installCoreModule(exports: object): void {
  const internals = Module as unknown as { _resolveFilename: ResolveFilename; _load: Load };
  const resolveFilename = internals._resolveFilename;
  const load = internals._load;
  internals._resolveFilename = function (this: unknown, request, ...rest) {
    return request === coreModuleId ? coreModuleId : resolveFilename.call(this, request, ...rest);
  };
  internals._load = function (this: unknown, request, ...rest) {
    return request === coreModuleId ? exports : load.call(this, request, ...rest);
  };
}
