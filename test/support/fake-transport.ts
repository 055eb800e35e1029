import type { Transport } from '../../emulator/client/transport';

/** A Transport that records what the registry/session would write (so session.ts is tested without sockets). */
export class FakeTransport implements Transport {
  readonly sent: { data: string | Buffer; binary: boolean }[] = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;
  isOpen = true;
  bufferedAmount = 0;

  send(data: string | Buffer, binary: boolean): void {
    if (this.isOpen) this.sent.push({ data, binary });
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.isOpen = false;
  }
  terminate(): void {
    this.terminated = true;
    this.isOpen = false;
  }
  /** Every text frame parsed as JSON. */
  json(): Record<string, unknown>[] {
    return this.sent.filter((s) => !s.binary).map((s) => JSON.parse(s.data.toString()) as Record<string, unknown>);
  }
}
