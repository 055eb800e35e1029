// Child processes for the bench: pinned with taskset, sampled through /proc, always cleaned up.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, existsSync, openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { createServer } from 'node:net';
import http from 'node:http';

const CLK_TCK = 100; // getconf CLK_TCK on Linux; /proc/<pid>/stat utime/stime are in these ticks.

let tasksetPath = null;
try {
  tasksetPath = execFileSync('which', ['taskset'], { encoding: 'utf8' }).trim() || null;
} catch {
  tasksetPath = null;
}
/** True when processes can be pinned (util-linux taskset present and at least 2 cores). */
export const canPin = Boolean(tasksetPath) && (await import('node:os')).cpus().length >= 2;

/** CPU sets: the system under test gets core 0, load generators and the orchestrator core 1. */
export const SERVER_CPU = '0';
export const LOAD_CPU = '1';

const children = new Set();
let seq = 0;
/** Child logs of this run; removed at exit unless BENCH_KEEP_LOGS is set. */
export const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
process.on('exit', () => {
  if (!process.env.BENCH_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
});

/** Pins the current process (all threads) to a core; no-op when taskset is missing. */
export function pinSelf(cpu) {
  if (!canPin) return;
  try {
    execFileSync(tasksetPath, ['-a', '-p', '-c', cpu, String(process.pid)], { stdio: 'ignore' });
  } catch {
    /* best effort */
  }
}

/**
 * Starts `node <script> ...args` pinned to `cpu`. With `ipc: true` the child gets an IPC channel.
 * stdout/stderr go to a log file, not a pipe: a pipe drained by this process (which shares the busy
 * load-generator core) would block the child's synchronous stdout writes and throttle it.
 * `child.output` reads the last 64 KB of that log.
 */
export function startNode(script, args = [], { cpu, env, cwd, ipc = false, nodeArgs = [], inherit = false } = {}) {
  const argv = [...nodeArgs, script, ...args];
  const [cmd, cmdArgs] = cpu !== undefined && canPin ? [tasksetPath, ['-c', cpu, process.execPath, ...argv]] : [process.execPath, argv];
  const logFile = join(logDir, `${basename(script)}-${++seq}.log`);
  const fd = openSync(logFile, 'w');
  const stdio = inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', fd, fd];
  if (ipc) stdio.push('ipc');
  const child = spawn(cmd, cmdArgs, { stdio, env: { ...process.env, ...env }, cwd });
  closeSync(fd);
  child.logFile = logFile;
  Object.defineProperty(child, 'output', { get: () => tail(logFile, 65536) });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function tail(file, bytes) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > bytes ? text.slice(-bytes) : text;
  } catch {
    return '';
  }
}

/** Stops a child we started (by pid): SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child, graceMs = 1500) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
}

export async function stopAll() {
  await Promise.all([...children].map((c) => stop(c, 500)));
}

/** Kill our children if the orchestrator dies. */
export function killChildrenSync() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** utime+stime of a process in seconds (from /proc/<pid>/stat), or NaN when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field index 0 is state (field 3); utime is field 14 → index 11, stime 15 → 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Resident set size in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One HTTP request; resolves {status, body}. Never hangs longer than `timeoutMs`. */
export function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 2000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `url` until `accept(status)`; throws with the child's output after `timeoutMs`. */
export async function waitForHttp(url, { child, timeoutMs = 15000, intervalMs = 10, accept = (s) => s === 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered:\n${child.output.slice(-2000)}`);
    }
    try {
      const r = await httpRequest(url, { timeoutMs: 1000 });
      if (accept(r.status)) return r;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})${child ? `:\n${child.output.slice(-2000)}` : ''}`);
}

export const exists = existsSync;
