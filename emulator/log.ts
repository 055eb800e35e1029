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

/**
 * Writes `HH:MM:SS.mmm line` to a stream (stdout for the CLI). Lines are batched and written once
 * per event-loop turn: stdout on a pipe is synchronous on Linux, so a write per connection would
 * put a syscall on the handshake path of every client in a connect storm. Pending lines are
 * written before the process exits. `quiet`: traffic lines are dropped.
 */
export function createConsoleLog(write: (text: string) => void = (t) => process.stdout.write(t), options: { readonly quiet?: boolean } = {}): Log {
  const quiet = options.quiet === true;
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
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
    pending.push(`${stamp} ${line}\n`);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush).unref();
    }
  };
}

/** Quotes a value for a `key=value` log field when it contains spaces or is empty. */
export function logValue(value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value === '' || /[\s"]/.test(value) ? JSON.stringify(value) : value;
}
