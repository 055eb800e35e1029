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

/**
 * Info lines (one per invocation: the hot path) are batched and written once per event-loop turn:
 * stdout on a pipe is synchronous on Linux, so a write per invocation would put a syscall on every
 * request's path (same approach as emulator/log.ts). Warnings and errors are rare and are written at
 * once, after the pending info lines, so both streams keep the order they had when every line was
 * written immediately. Each line keeps the time it was logged; pending lines are written before the
 * process exits.
 */
export function createConsoleLog(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): ConsoleLog {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
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
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush).unref();
      }
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
