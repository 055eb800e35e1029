import { format } from 'node:util';
import type { RpcLogCategory, RpcLogLevel } from './core-types';

/** Where the host writes: lines for people, in the style of Core Tools (`[time] message`). */
export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createConsoleLog(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): HostLog {
  const line = (stream: NodeJS.WritableStream, message: string) => stream.write(`[${new Date().toISOString()}] ${message}\n`);
  return {
    info: (m) => line(out, m),
    warn: (m) => line(err, m),
    error: (m) => line(err, m),
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
