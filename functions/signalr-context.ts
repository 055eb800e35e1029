import type { Runtime } from '../shared/config/app-runtime';
import { createSignalRRuntime, type SignalRRuntime } from '../shared/signalr/signalr-runtime';

const cache = new WeakMap<Runtime, SignalRRuntime>();

/** The SignalR side of a runtime, built once per runtime; throws SignalRNotConfiguredError (404) without settings. */
export function signalrOf(rt: Runtime): SignalRRuntime {
  let s = cache.get(rt);
  if (!s) cache.set(rt, (s = createSignalRRuntime(rt.config, rt.authenticateCaller)));
  return s;
}
