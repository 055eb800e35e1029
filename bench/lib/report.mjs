// The Markdown table of one run: printed on stdout, and (full runs) the whole of bench/results/latest.md,
// the only copy of the figures; docs/benchmarks.md explains the rows and links here.
import { fmt } from './harness.mjs';

export function renderTable(result) {
  const lines = [
    `Bench ${result.mode} run ${result.date.slice(0, 19)}Z: ${result.machine.cores} cores ${result.machine.cpu}, Node ${result.node}, ws ${result.ws}` +
      `${result.bufferutil ? ` + bufferutil ${result.bufferutil}` : ''}, git ${result.gitHead?.slice(0, 7) ?? '?'}${result.gitDirty ? ' (dirty)' : ''}, ` +
      `${result.machine.pinned ? 'server cpu0 / load cpu1' : 'unpinned'}, median of ${result.runsPerSide} run(s) per side, ${Math.round(result.durationSeconds)} s`,
    '',
    '| Scenario | Metric | Ours | Baseline | Ratio | Target | Notes |',
    '|---|---|---|---|---|---|---|',
  ];
  const errors = new Set();
  for (const r of result.rows) {
    const ours = r.oursError ? (r.oursError.startsWith('n/a') ? 'n/a (component missing)' : 'error ¹') : fmt(r.ours?.median, r.unit);
    const base = r.baselineError ? 'error ¹' : fmt(r.baseline?.median, r.unit);
    for (const e of [r.oursError && `${r.scenario}, ours: ${r.oursError}`, r.baselineError && `${r.scenario}, baseline: ${r.baselineError}`])
      if (e) errors.add(e);
    const ratio = Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : 'n/a';
    const target = r.target ? `${r.target}${r.status ? (r.status === 'met' ? ' ✅' : ' ❌') : ''}` : '';
    lines.push(`| ${r.scenario} | ${r.metric} | ${ours} | ${base} | ${ratio} | ${target} | ${r.notes}${r.better === 'lower' ? ' (lower is better)' : ''} |`);
  }
  if (errors.size) lines.push('', ...[...errors].map((e) => `- ¹ ${e.replace(/\|/g, '/')}`));
  if (result.skipped.length) lines.push('', ...result.skipped.map((s) => `- skipped: ${s}`));
  return lines.join('\n');
}

/** bench/results/latest.md: a title, where the file comes from, and the table. */
export function renderResultsFile(result) {
  return [
    '<!-- Written by `npm run bench` (bench/run.mjs, bench/lib/report.mjs) after every full run. Do not edit by hand. -->',
    '# Benchmark results',
    '',
    'The latest full run of `npm run bench`. What each row measures, its baseline and its target are explained in',
    '[docs/benchmarks.md](../../docs/benchmarks.md).',
    '',
    renderTable(result),
    '',
  ].join('\n');
}
