// Runs load-generator tasks, repeats measurements (ours and baseline interleaved), builds table rows.
import { fileURLToPath } from 'node:url';
import { startNode, stop, LOAD_CPU } from './proc.mjs';
import { median, min, max } from './stats.mjs';
import { warmupNote } from './warmup.mjs';

const AGENT = fileURLToPath(new URL('../load/agent.mjs', import.meta.url));

/** Runs `task` (bench/load/<task>.mjs) in a fresh load-generator process pinned to `cpu`. */
export async function runAgent(task, params, { cpu = LOAD_CPU, timeoutMs = 120000 } = {}) {
  const child = startNode(AGENT, [], { cpu, ipc: true });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
  try {
    const reply = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      // The exit event can overtake the last IPC message; give the message a moment to arrive.
      child.once('exit', (code, signal) =>
        setTimeout(() => reject(new Error(`load generator exited (${code ?? signal}):\n${child.output.slice(-2000)}`)), 100),
      );
      child.send({ task, params: { ...params, hardTimeoutMs: timeoutMs } });
    });
    if (!reply.ok) throw new Error(reply.error);
    return reply.result;
  } finally {
    clearTimeout(watchdog);
    await stop(child);
  }
}

/** Marks a failure that means "the component is not there yet". */
export class Missing extends Error {}

/**
 * Measures `ours` and `baseline` `runs` times each, interleaved (B, O, B, O, ...), so drift hits both.
 * Optional `others` are more sides measured in the same interleaving (B, others..., O, B, ...), e.g.
 * `{ floor }` (the same work with no frameworks, the physical limit); `against(m, 'floor')` gives the
 * comparison of ours with one of them, shaped for `row`.
 * Each function gets the run index and returns a flat object of numbers. A throw from `ours` is recorded
 * (as missing or as an error) and stops further `ours` runs; the baseline still runs.
 */
export async function compare(ctx, name, { ours, baseline, others = {}, runs = ctx.runs }) {
  const out = { name, ours: [], baseline: [], oursError: null, baselineError: null, discarded: [] };
  for (const side of Object.keys(others)) Object.assign(out, { [side]: [], [`${side}Error`]: null });
  const attempt = async (side, fn, r) => {
    // A run disturbed by other processes (foreign CPU on the server or load core) is repeated, at most
    // ctx.retries times; the disturbed result is kept in `discarded` for the record.
    for (let k = 0; ; k++) {
      let res;
      try {
        res = await fn(r);
      } catch (e) {
        // A run cut by a transport error (a socket reset on a loaded machine) gets the same one repeat as
        // a disturbed run, and the row says so. Anything else (a wrong status, a lost or malformed message)
        // is a finding, never repeated away; so is a second failure, or one past the retry window.
        if (!isTransportFailure(e) || k >= ctx.retries || Date.now() > ctx.retryUntil) throw e;
        out.discarded.push({ side, run: r, error: firstLine(e) });
        ctx.log(`  ${name} ${side} run ${r + 1} failed (${firstLine(e)}), repeating`);
        continue;
      }
      const noise = disturbance(res);
      if (noise <= NOISE_LIMIT || k >= ctx.retries || Date.now() > ctx.retryUntil)
        return { ...res, disturbed: noise > NOISE_LIMIT ? +noise.toFixed(2) : undefined };
      out.discarded.push({ side, run: r, ...res });
      ctx.log(`  ${name} ${side} run ${r + 1} disturbed (foreign CPU ${noise.toFixed(2)}), repeating`);
    }
  };
  for (let r = 0; r < runs; r++) {
    if (baseline && !out.baselineError) {
      try {
        out.baseline.push(await attempt('baseline', baseline, r));
      } catch (e) {
        out.baselineError = e;
        ctx.log(`  baseline ${name} failed: ${firstLine(e)}`);
      }
    }
    for (const [side, fn] of Object.entries(others)) {
      if (out[`${side}Error`]) continue;
      try {
        out[side].push(await attempt(side, fn, r));
      } catch (e) {
        out[`${side}Error`] = e;
        ctx.log(`  ${side} ${name} failed: ${firstLine(e)}`);
      }
    }
    if (ours && !out.oursError) {
      try {
        out.ours.push(await attempt('ours', ours, r));
      } catch (e) {
        out.oursError = e;
        ctx.log(`  ours ${name} ${e instanceof Missing ? 'n/a' : 'failed'}: ${firstLine(e)}`);
      }
    }
    ctx.log(
      `  ${name} run ${r + 1}/${runs}: ours ${brief(out.ours.at(-1))} | baseline ${brief(out.baseline.at(-1))}${Object.keys(others)
        .map((side) => ` | ${side} ${brief(out[side].at(-1))}`)
        .join('')}`,
    );
  }
  ctx.raw[name] = {
    ours: out.ours,
    baseline: out.baseline,
    discarded: out.discarded,
    oursError: out.oursError && firstLine(out.oursError),
    baselineError: out.baselineError && firstLine(out.baselineError),
    ...Object.fromEntries(
      Object.keys(others).flatMap((side) => [
        [side, out[side]],
        [`${side}Error`, out[`${side}Error`] && firstLine(out[`${side}Error`])],
      ]),
    ),
  };
  return out;
}

/**
 * The comparison of one side of `compare` (`self`, by default ours) with another (`side`, e.g. 'floor'),
 * shaped for `row`: `self` in the Ours column, `side` in the Baseline column.
 */
export function against(m, side, self = 'ours') {
  return {
    name: `${m.name}: ${self} vs ${side}`,
    ours: m[self] ?? [],
    oursError: m[`${self}Error`] ?? null,
    baseline: m[side] ?? [],
    baselineError: m[`${side}Error`] ?? null,
    discarded: (m.discarded ?? []).filter((d) => d.side === self || d.side === side),
  };
}

/** Socket-level failures of the loopback transport, as the load generators report them. */
const TRANSPORT_FAILURE = /socket hang up|ECONNRESET|EPIPE|ECONNREFUSED|ETIMEDOUT/;
function isTransportFailure(e) {
  return !(e instanceof Missing) && TRANSPORT_FAILURE.test(firstLine(e));
}

/** Foreign CPU share on either core during a run's window (0 when the task does not report it). */
const NOISE_LIMIT = 0.15;
function disturbance(res) {
  const xs = [res?.foreignServerCoreShare, res?.foreignLoadCoreShare].filter(Number.isFinite);
  return xs.length ? Math.max(...xs) : 0;
}

function brief(o) {
  if (!o) return '-';
  const k = ['perCpuSecond', 'perSecond', 'ms'].find((x) => x in o) ?? Object.keys(o)[0];
  return `${k}=${fmt(o[k])}${o.disturbed ? ` (disturbed ${o.disturbed})` : ''}`;
}

export function firstLine(e) {
  return String(e?.message ?? e)
    .split('\n')[0]
    .slice(0, 200);
}

/** Summary of one metric over runs. */
export function summarize(runs, key) {
  const xs = runs.map((r) => r[key]).filter((x) => typeof x === 'number');
  return xs.length ? { median: median(xs), min: min(xs), max: max(xs), runs: xs } : null;
}

/**
 * A table row. `better` says which direction is good ('higher' | 'lower'); `target` is
 * { ratio, op: '>=' | '<=' } on ours/baseline. Ours failing gives `n/a (...)`.
 */
export function row(ctx, { scenario, metric, unit = '', m, key, baseKey = key, better = 'higher', target, notes = '' }) {
  const ours = m.oursError ? null : summarize(m.ours, key);
  const base = m.baselineError ? null : summarize(m.baseline, baseKey);
  const ratio = ours && base && base.median ? ours.median / base.median : NaN;
  let status = '';
  if (target && Number.isFinite(ratio)) status = (target.op === '>=' ? ratio >= target.ratio : ratio <= target.ratio) ? 'met' : 'missed';
  const disturbed = [...m.ours, ...m.baseline].filter((x) => x?.disturbed).length;
  if (disturbed) notes = `${notes}${notes ? '; ' : ''}⚠ ${disturbed} run(s) disturbed by other load`;
  const capped = warmupNote([...m.ours, ...m.baseline]);
  if (capped) notes = `${notes}${notes ? '; ' : ''}${capped}`;
  const failed = (m.discarded ?? []).filter((d) => d.error !== undefined);
  if (failed.length) notes = `${notes}${notes ? '; ' : ''}⚠ ${failed.length} run(s) repeated after a transport error (${failed[0].side}: ${failed[0].error})`;
  const r = {
    scenario,
    metric,
    unit,
    better,
    ours,
    baseline: base,
    ratio,
    target: target ? `${target.op} ${target.ratio}x` : '',
    status,
    notes,
    oursError: m.oursError ? `${m.oursError instanceof Missing ? 'n/a (component missing)' : 'error'}: ${firstLine(m.oursError)}` : null,
    baselineError: m.baselineError ? firstLine(m.baselineError) : null,
  };
  ctx.rows.push(r);
  return r;
}

export function fmt(x, unit = '') {
  if (typeof x !== 'number' || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const s =
    a >= 100000
      ? `${(x / 1000).toFixed(0)}k`
      : a >= 10000
        ? `${(x / 1000).toFixed(1)}k`
        : a >= 100
          ? x.toFixed(0)
          : a >= 10
            ? x.toFixed(1)
            : a >= 1
              ? x.toFixed(2)
              : x.toFixed(3);
  return unit ? `${s} ${unit}` : s;
}
