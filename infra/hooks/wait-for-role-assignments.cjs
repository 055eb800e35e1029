'use strict';
// azd `postprovision` hook (azure.yaml): after the first provision, waits until the function app's
// role assignments have had time to take effect before `azd up` deploys the app.
//
// Azure RBAC applies a new role assignment some minutes after it is created. Until then the app's
// identity is refused (403) by Web PubSub and by the deployment storage, so a first `azd up` used to
// fail or start an app that could not work, and the fix was to run it again. Nothing on the deploying
// machine can observe when another principal's assignment applies, so the hook waits out a window
// (ROLE_ASSIGNMENT_WAIT_SECONDS, default 300) counted from when the assignments were created
// (APP_ROLE_ASSIGNMENTS_CREATED_ON, a main.bicep output). Later provisions find them old: no wait.
// It never fails the provision: a value it cannot read is reported and skipped.

const DEFAULT_WAIT_SECONDS = 300;

/**
 * Milliseconds still to wait: from now until the latest creation time plus the window; 0 when that
 * has passed. Throws on a value that is not a comma-separated list of dates.
 */
function remainingWaitMs(createdOn, nowMs, windowMs) {
  const times = String(createdOn ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const ms = Date.parse(t);
      if (Number.isNaN(ms)) throw new Error(`"${t}" is not a date`);
      return ms;
    });
  if (times.length === 0) throw new Error('no creation time');
  return Math.max(0, Math.max(...times) + windowMs - nowMs);
}

/** The window in ms from ROLE_ASSIGNMENT_WAIT_SECONDS (a whole number, 0 turns waiting off). */
function waitWindowMs(value) {
  if (value === undefined || value === '') return DEFAULT_WAIT_SECONDS * 1000;
  if (!/^\d+$/.test(value)) throw new Error(`ROLE_ASSIGNMENT_WAIT_SECONDS must be a whole number of seconds, got "${value}"`);
  return Number(value) * 1000;
}

async function main(env = process.env, sleep = (ms) => new Promise((r) => setTimeout(r, ms)), say = (line) => process.stdout.write(`${line}\n`)) {
  let waitMs;
  try {
    waitMs = remainingWaitMs(env.APP_ROLE_ASSIGNMENTS_CREATED_ON, Date.now(), waitWindowMs(env.ROLE_ASSIGNMENT_WAIT_SECONDS));
  } catch (err) {
    say(`Not waiting for role assignments: APP_ROLE_ASSIGNMENTS_CREATED_ON or ROLE_ASSIGNMENT_WAIT_SECONDS cannot be read (${err.message}).`);
    return 0;
  }
  if (waitMs === 0) return 0;
  const seconds = Math.ceil(waitMs / 1000);
  say(
    `The function app's role assignments were just created; Azure applies them within minutes. Waiting ${seconds} s before the deployment (ROLE_ASSIGNMENT_WAIT_SECONDS sets the window; 0 skips it).`,
  );
  await sleep(waitMs);
  return waitMs;
}

module.exports = { remainingWaitMs, waitWindowMs, main, DEFAULT_WAIT_SECONDS };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 0;
  });
}
