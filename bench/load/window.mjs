// The measured window: marks wall time, work done and server CPU (utime+stime of every server pid).
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../lib/proc.mjs';

export function mark(serverPids, work) {
  const byPid = serverPids.map((pid) => cpuSeconds(pid));
  return { t: performance.now(), work, byPid, cpu: byPid.reduce((s, c) => s + c, 0) };
}

/** {seconds, work, perSecond, serverCpuSeconds, perCpuSecond, serverCpuShare} between two marks. */
export function between(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const work = b.work - a.work;
  const cpu = b.cpu - a.cpu;
  // CPU seconds per unit of work, per server process (in serverPids order), e.g. emulator vs upstream.
  const cpuPerWorkUs = b.byPid.map((c, i) => (work > 0 ? ((c - a.byPid[i]) * 1e6) / work : NaN));
  return { seconds, work, perSecond: work / seconds, serverCpuSeconds: cpu, perCpuSecond: cpu > 0 ? work / cpu : NaN, serverCpuShare: cpu / seconds, cpuPerWorkUs };
}
