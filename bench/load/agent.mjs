// A load-generator process: receives one task over IPC, runs it, sends the result back, exits.
// Tasks live next to this file (fanout.mjs, group-send.mjs, ...) and export run(params).
// Every task is bounded by params.hardTimeoutMs (default 120 s); the orchestrator also has a watchdog.
process.once('message', async ({ task, params }) => {
  const hard = setTimeout(() => {
    process.send({ ok: false, error: `task ${task} exceeded its hard time limit` }, () => process.exit(2));
  }, params.hardTimeoutMs ?? 120000);
  hard.unref();
  try {
    const mod = await import(new URL(`./${task}.mjs`, import.meta.url).href);
    const result = await mod.run(params);
    process.send({ ok: true, result }, () => process.exit(0));
  } catch (e) {
    process.send({ ok: false, error: e?.stack ?? String(e) }, () => process.exit(1));
  }
});
