/** One line per event; the emulator never logs tokens, keys or signatures. */
export type Log = (line: string) => void;

export const silentLog: Log = () => {};

/** Writes `HH:MM:SS.mmm line` to a stream (stdout for the CLI). */
export function createConsoleLog(write: (text: string) => void = (t) => process.stdout.write(t)): Log {
  return (line) => write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
}

/** Quotes a value for a `key=value` log field when it contains spaces or is empty. */
export function logValue(value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value === '' || /[\s"]/.test(value) ? JSON.stringify(value) : value;
}
