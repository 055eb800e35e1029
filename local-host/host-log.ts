import { format } from 'node:util';
import type { RpcLogCategory, RpcLogLevel } from './core-types';

/** Where the host writes: lines for people, in the style of Core Tools (`[time] message`). */
export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ConsoleLog extends HostLog {
  /** Writes the pending lines now: before anything that bypasses the log (a direct stderr write, an IPC message). */
  flush(): void;
}

/** Info lines are held at most this long (a person cannot see 20 ms)... */
export const LOG_FLUSH_MS = 20;
/** ...or until this much text is pending, so memory stays bounded. */
export const LOG_FLUSH_BYTES = 64 * 1024;

/**
 * Info lines (one per invocation: the hot path) are batched and written together at most `flushMs` after
 * the first of them: stdout on a pipe is synchronous on Linux and each write wakes the reader, so a write
 * per invocation, or even per event-loop turn, puts a syscall on every request's path (same approach as
 * emulator/log.ts). Warnings and errors are rare and are written at
 * once, after the pending info lines, so both streams keep the order they had when every line was
 * written immediately. Each line keeps the time it was logged; pending lines are written before the
 * process exits.
 */
export function createConsoleLog(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  options: { readonly flushMs?: number } = {},
): ConsoleLog {
  const flushMs = options.flushMs ?? LOG_FLUSH_MS;
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    // Cleared before writing, so a write that throws (a closed pipe) cannot repeat lines on exit.
    const text = pending;
    pending = '';
    out.write(text);
  };
  process.once('exit', flush);
  // Several lines share a millisecond under load; format the time once per millisecond.
  let stampMs = -1;
  let stampText = '';
  const stamp = (message: string) => {
    const now = Date.now();
    if (now !== stampMs) {
      stampMs = now;
      stampText = new Date(now).toISOString();
    }
    return `[${stampText}] ${message}\n`;
  };
  const now = (message: string) => {
    flush();
    err.write(stamp(message));
  };
  return {
    info: (m) => {
      pending += stamp(m);
      if (pending.length >= LOG_FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, flushMs).unref();
    },
    warn: now,
    error: now,
    flush,
  };
}

/**
 * Routes worker/library logs: user logs (context.log) always; system logs only from warning up,
 * since the library's debug chatter means nothing to someone running the chat locally.
 */
export function writeRuntimeLog(log: HostLog, level: RpcLogLevel, category: RpcLogCategory, message: string): void {
  const severe = level === 'error' || level === 'critical';
  if (category === 'system' && !severe && level !== 'warning') return;
  if (severe) log.error(message);
  else if (level === 'warning') log.warn(message);
  else log.info(message);
}

export function formatArgs(args: unknown[]): string {
  return format(...args);
}
