import type { OutboundMessage } from '../core/types';
import { encodeInvokeResponse, type InvokeResponse } from './invocation-frames';

/**
 * The invocations in flight on one connection (docs/protocol/client-sdk-features.md §2). Each `invoke`
 * runs its upstream call concurrently with the connection's other frames, so a `cancelInvocation` sent
 * while the upstream is working is seen at once. Exactly one `invokeResponse` answers each invocation:
 * the upstream's reply, or an error for a failure, a timeout or a cancellation — whichever comes first.
 */

/** What the upstream call produced: the reply message, or why it failed. */
export type InvocationOutcome = { readonly ok: true; readonly message?: OutboundMessage } | { readonly ok: false; readonly reason: string };

export interface InvocationOptions {
  /** An invocation that has no answer after this fails with `Timeout`. */
  readonly timeoutMs: number;
  /** More invocations in flight than this are refused with `TooManyRequests`. */
  readonly maxPending: number;
}

export const DEFAULT_INVOCATION_OPTIONS: InvocationOptions = { timeoutMs: 60_000, maxPending: 100 };

export class Invocations {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    /** Sends one frame to the client (dropped when no socket is attached). */
    private readonly send: (frame: string) => void,
    private readonly options: InvocationOptions = DEFAULT_INVOCATION_OPTIONS,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Starts an invocation; `run` performs the upstream call. */
  start(invocationId: string, run: () => Promise<InvocationOutcome>): void {
    if (this.pending.has(invocationId)) {
      // The first invocation keeps its id; only the duplicate is refused.
      this.send(encodeInvokeResponse({ invocationId, error: { name: 'BadRequest', message: `invocation "${invocationId}" is already in progress` } }));
      return;
    }
    if (this.pending.size >= this.options.maxPending) {
      this.send(
        encodeInvokeResponse({
          invocationId,
          error: { name: 'TooManyRequests', message: `a connection can have at most ${this.options.maxPending} invocations in progress` },
        }),
      );
      return;
    }
    const timer = setTimeout(
      () =>
        this.settle(invocationId, {
          invocationId,
          error: { name: 'Timeout', message: `the event handler did not answer within ${this.options.timeoutMs} ms` },
        }),
      this.options.timeoutMs,
    );
    timer.unref();
    this.pending.set(invocationId, timer);
    run().then(
      (outcome) =>
        this.settle(
          invocationId,
          outcome.ok
            ? { invocationId, result: { message: outcome.message } }
            : { invocationId, error: { name: 'InternalServerError', message: outcome.reason } },
        ),
      (e: unknown) => this.settle(invocationId, { invocationId, error: { name: 'InternalServerError', message: e instanceof Error ? e.message : String(e) } }),
    );
  }

  /**
   * `cancelInvocation`: answers the invocation with `Cancelled` and drops the upstream reply when it
   * comes. Unknown or finished ids are ignored (the client may cancel after the answer crossed its frame).
   */
  cancel(invocationId: string): void {
    this.settle(invocationId, { invocationId, error: { name: 'Cancelled', message: 'the invocation was cancelled by the client' } });
  }

  /** The connection ended: nothing can be answered any more. */
  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private settle(invocationId: string, response: InvokeResponse): void {
    const timer = this.pending.get(invocationId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pending.delete(invocationId);
    this.send(encodeInvokeResponse(response));
  }
}
