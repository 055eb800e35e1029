// The measured window: marks wall time, work done, server CPU (utime+stime of every server pid), this
// load generator's own CPU, and each core's busy time from /proc/stat, so a run disturbed by other
// processes on the machine can be recognised (foreign CPU on the server or load core).
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { cpuSeconds, SERVER_CPU, LOAD_CPU } from '../lib/proc.mjs';

const CLK_TCK = 100;

/** Busy seconds per core (user+nice+system+irq+softirq+steal) from /proc/stat. */
function coreBusy() {
  const out = {};
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const m = /^cpu(\d+) (.*)$/.exec(line);
      if (!m) continue;
      const [user, nice, system, , , irq, softirq, steal] = m[2].trim().split(/\s+/).map(Number);
      out[m[1]] = (user + nice + system + irq + softirq + steal) / CLK_TCK;
    }
  } catch {
    /* not Linux */
  }
  return out;
}

export function mark(serverPids, work) {
  const byPid = serverPids.map((pid) => cpuSeconds(pid));
  const own = process.cpuUsage();
  return { t: performance.now(), work, byPid, cpu: byPid.reduce((s, c) => s + c, 0), load: (own.user + own.system) / 1e6, cores: coreBusy() };
}

/** {seconds, work, perSecond, serverCpuSeconds, perCpuSecond, serverCpuShare, loadCpuShare, foreign*} between two marks. */
export function between(a, b, { serverCore = SERVER_CPU, loadCore = LOAD_CPU } = {}) {
  const seconds = (b.t - a.t) / 1000;
  const work = b.work - a.work;
  const cpu = b.cpu - a.cpu;
  const load = b.load - a.load;
  // CPU seconds per unit of work, per server process (in serverPids order), e.g. emulator vs upstream.
  const cpuPerWorkUs = b.byPid.map((c, i) => (work > 0 ? ((c - a.byPid[i]) * 1e6) / work : NaN));
  const busy = (core) => (b.cores[core] ?? NaN) - (a.cores[core] ?? NaN);
  return {
    seconds,
    work,
    perSecond: work / seconds,
    serverCpuSeconds: cpu,
    perCpuSecond: cpu > 0 ? work / cpu : NaN,
    serverCpuShare: cpu / seconds,
    loadCpuShare: load / seconds,
    cpuPerWorkUs,
    // Busy time on each core not explained by the server (core 0) or this load generator (core 1):
    // other processes on the machine (or the kernel on their behalf). Above ~0.1 the run is disturbed.
    foreignServerCoreShare: Math.max(0, (busy(serverCore) - cpu) / seconds),
    foreignLoadCoreShare: Math.max(0, (busy(loadCore) - load) / seconds),
  };
}
