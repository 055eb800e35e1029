import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// bench/macro/round-trip.mjs `floorSpread`: the note on the floor row lists the floor's runs and gives the
// best run of each side against the other's, so a median landing on a slow floor run is visible.
// The module is ESM with import.meta, so it runs in a child Node process rather than under jest.
const roundTrip = join(__dirname, '..', '..', '..', '..', 'bench', 'macro', 'round-trip.mjs');

function spread(m: unknown): string {
  const script = `import(${JSON.stringify(roundTrip)}).then(({ floorSpread }) => process.stdout.write(JSON.stringify(floorSpread(${JSON.stringify(m)}))))`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as string;
}

describe('floorSpread', () => {
  it("lists the floor's runs and divides ours' best run by the floor's best run", () => {
    const m = {
      ours: [{ cpuPerEventUs: 1000 }, { cpuPerEventUs: 900 }, { cpuPerEventUs: 1100 }],
      floor: [{ cpuPerEventUs: 550 }, { cpuPerEventUs: 300 }, { cpuPerEventUs: 560 }],
    };
    expect(spread(m)).toBe('; floor runs 550, 300, 560 µs; best run against best run 3.00x');
  });

  it('says nothing with a single floor run or without ours', () => {
    expect(spread({ ours: [{ cpuPerEventUs: 1000 }], floor: [{ cpuPerEventUs: 300 }] })).toBe('');
    expect(spread({ ours: [], floor: [{ cpuPerEventUs: 300 }, { cpuPerEventUs: 310 }] })).toBe('');
  });
});
