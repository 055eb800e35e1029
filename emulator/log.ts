/**
 * `traffic`: a line about ordinary, successful traffic (a connection opened or closed, an event
 * delivered, a REST call answered), one or more per message; `--quiet` leaves these out. Everything
 * else (refusals, failures, start-up) is always written.
 */
export type LogKind = 'traffic';

/** One line per event; the emulator never logs tokens, keys or signatures. */
export type Log = (line: string, kind?: LogKind) => void;

/** An answer below 400 is traffic (dropped by --quiet); refusals and failures always show. */
export function trafficIf(status: number): LogKind | undefined {
  return status < 400 ? 'traffic' : undefined;
}

export const silentLog: Log = () => {};

/** Lines are held at most this long: under load a write per event-loop turn is still a syscall per event or two. */
export const LOG_FLUSH_MS = 20;
/** ...or until this much text is pending (a connect storm), so memory stays bounded. */
export const LOG_FLUSH_BYTES = 64 * 1024;

/**
 * Writes `HH:MM:SS.mmm line` to a stream (stdout for the CLI). Lines are batched and written together
 * at most `flushMs` (20 ms) after the first of them: stdout on a pipe is synchronous on Linux, and each
 * write also wakes the reader (`npm start`, a terminal), so a write per connection or per event would put
 * a syscall on every handshake and every round trip. A person reading the log cannot see 20 ms. Pending
 * lines are written before the process exits. `quiet`: traffic lines are dropped.
 */
export function createConsoleLog(
  write: (text: string) => void = (t) => process.stdout.write(t),
  options: { readonly quiet?: boolean; readonly flushMs?: number } = {},
): Log {
  const quiet = options.quiet === true;
  const flushMs = options.flushMs ?? LOG_FLUSH_MS;
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    // Cleared before writing, so a write that throws (a closed pipe) cannot repeat lines on exit.
    const text = pending;
    pending = '';
    write(text);
  };
  process.once('exit', flush);
  // A connect storm logs thousands of lines per second: format the time once per millisecond.
  let stampedAt = -1;
  let stamp = '';
  return (line, kind) => {
    if (quiet && kind === 'traffic') return;
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString().slice(11, 23);
    }
    pending += `${stamp} ${line}\n`;
    if (pending.length >= LOG_FLUSH_BYTES) flush();
    else timer ??= setTimeout(flush, flushMs).unref();
  };
}

/** Quotes a value for a `key=value` log field when it contains spaces or is empty. */
export function logValue(value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value === '' || /[\s"]/.test(value) ? JSON.stringify(value) : value;
}
