// Scenario 9: chat presence cost. Users connect one after another to the chat hub; the app's presence
// (shared/chat/hub.ts) runs against the emulator's REST handler through the official SDK over real
// HTTP, and every REST request and delivered frame is counted. Counts, not timings: they do not depend
// on the machine. Baseline: the full-roster presence this replaced (joined to everyone, then one
// listing capped at 1,000 members in pages of 100 per connect, one roster frame), kept in
// test/support/presence-cost.ts.
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { row } from '../lib/harness.mjs';
import { ROOT } from '../lib/systems.mjs';

export const title = 'Presence cost (REST calls and frames per connect)';

async function bundle() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-presence-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export { measurePresenceStorm, measurePresenceConnect } from ${JSON.stringify(join(ROOT, 'test/support/presence-cost.ts'))};\n`);
  const outfile = join(dir, 'presence.cjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'error',
  });
  return import(outfile);
}

/** One measured value per side, in the shape row() summarizes. */
const pair = (name, ours, baseline) => ({ name, ours: [ours], baseline: [baseline], oursError: null, baselineError: null, discarded: [] });

export async function run(ctx) {
  const { measurePresenceStorm, measurePresenceConnect } = await bundle();
  const n = ctx.quick ? 300 : 1000;
  const ours = await measurePresenceStorm(n, 'delta');
  const old = await measurePresenceStorm(n, 'full-roster');
  const per = (s) => ({
    restPerConnect: s.restCalls / s.connects,
    listPerConnect: s.listCalls / s.connects,
    framesPerConnect: s.frames / s.connects,
    roster: s.lastRosterUsers,
  });
  ctx.raw.presence = { storm: { ours, old } };
  const m = pair('presence storm', per(ours), per(old));
  const s = `9. Presence: ${n} users connect one after another`;
  row(ctx, { scenario: s, metric: 'REST calls per connect', m, key: 'restPerConnect', better: 'lower', notes: `totals ${ours.restCalls} vs ${old.restCalls}` });
  row(ctx, {
    scenario: s,
    metric: 'list calls per connect',
    m,
    key: 'listPerConnect',
    better: 'lower',
    notes: `totals ${ours.listCalls} vs ${old.listCalls}; the newcomer's snapshot only (pages of 200 vs 100)`,
  });
  row(ctx, {
    scenario: s,
    metric: 'frames per connect',
    m,
    key: 'framesPerConnect',
    better: 'lower',
    notes: `totals ${ours.frames} vs ${old.frames}; one delta per member online (the floor for a live roster), the snapshot to the newcomer`,
  });
  row(ctx, { scenario: s, metric: 'users in the last snapshot', m, key: 'roster', notes: `complete = ${n}` });

  // One connect with N members already online: what grows with N and what does not.
  for (const members of ctx.quick ? [100, 2000] : [100, 1000, 5000]) {
    const a = await measurePresenceConnect(members, 'delta');
    const b = await measurePresenceConnect(members, 'full-roster');
    ctx.raw.presence[`connect-${members}`] = { ours: a, old: b };
    const shape = (c) => ({
      fixed: c.fixedRestCalls,
      list: c.listCalls,
      perMember: c.framesPerMember.max,
      newcomer: c.framesToNewcomer,
      roster: c.rosterUsers,
    });
    const mm = pair(`presence connect ${members}`, shape(a), shape(b));
    const sc = `9. Presence: one connect with ${members} users online`;
    row(ctx, {
      scenario: sc,
      metric: 'REST calls besides the snapshot',
      m: mm,
      key: 'fixed',
      better: 'lower',
      notes: 'constant in N: one delta send, one group add',
    });
    row(ctx, {
      scenario: sc,
      metric: 'snapshot list calls',
      m: mm,
      key: 'list',
      better: 'lower',
      notes: '⌈(N+1)/200⌉; the old listing stopped at 1,000 members',
    });
    row(ctx, { scenario: sc, metric: 'frames per member online', m: mm, key: 'perMember', better: 'lower', notes: 'constant in N' });
    row(ctx, { scenario: sc, metric: 'users in the snapshot', m: mm, key: 'roster', notes: `complete = ${members + 1}` });
  }
}
