// The scenarios of `npm run bench`, in the order they run (id for `--only`, module path relative to bench/),
// and the time budgets of a run.

export const SCENARIOS = [
  ['fanout', './macro/fanout.mjs'],
  ['mqtt', './macro/mqtt-fanout.mjs'],
  ['signalr', './macro/signalr-fanout.mjs'],
  ['group', './macro/group-send.mjs'],
  ['connect', './macro/connect-storm.mjs'],
  ['roundtrip', './macro/round-trip.mjs'],
  ['invoke', './macro/invoke-round-trip.mjs'],
  ['negotiate', './macro/negotiate.mjs'],
  ['tokens', './micro/token-mint.mjs'],
  ['restsend', './micro/rest-send.mjs'],
  ['eventhandler', './macro/event-handler.mjs'],
  ['coldstart', './macro/cold-start.mjs'],
  ['presence', './macro/presence.mjs'],
];

/**
 * A quick run (CI, after the tests) is held to this: a scenario that would start later is skipped, and the
 * table says so. Every scenario together takes about 1.5 minutes on the development machine.
 */
export const QUICK_BUDGET_MS = 110_000;

/**
 * A full run measures every scenario; this is only a guard against a run gone wrong. Every scenario
 * together takes about 17 minutes on a quiet development machine (2 cores), most of it the warm-up by count
 * (bench/lib/warmup.mjs) of the round trips and of negotiate; the budget leaves room for a slower machine
 * and for the disturbed runs that are repeated (in the first 60 % of the budget, bench/run.mjs).
 */
export const FULL_BUDGET_MS = 1_500_000;
