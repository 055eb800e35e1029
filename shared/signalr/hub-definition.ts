import type { SignalRService } from './rest-client';
import type { SignalRConnectionContext } from './upstream-request';

/**
 * A SignalR hub as the app serves it in Serverless mode: handlers for the connection events and one
 * handler per invocation target. Arguments arrive untyped (they come from clients); each handler
 * validates its own.
 */

export interface SignalRHubContext {
  readonly connection: SignalRConnectionContext;
  readonly service: SignalRService;
}

export interface SignalRHubDefinition {
  readonly name: string;
  onConnected?(ctx: SignalRHubContext): Promise<void>;
  onDisconnected?(ctx: SignalRHubContext, error: string | undefined): Promise<void>;
  /** By target, compared case-insensitively as SignalR does. A return value becomes the invoke result. */
  readonly targets: Readonly<Record<string, (ctx: SignalRHubContext, args: readonly unknown[]) => Promise<unknown>>>;
}

export function defineSignalRHub(definition: SignalRHubDefinition): SignalRHubDefinition {
  return Object.freeze(definition);
}

export function findTarget(hub: SignalRHubDefinition, target: string): SignalRHubDefinition['targets'][string] | undefined {
  const key = Object.keys(hub.targets).find((k) => k.toLowerCase() === target.toLowerCase());
  return key === undefined ? undefined : hub.targets[key];
}
