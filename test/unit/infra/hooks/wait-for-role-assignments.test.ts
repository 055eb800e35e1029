/** infra/hooks/wait-for-role-assignments.cjs: the azd postprovision hook that waits for new role assignments to apply. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as waitMain, remainingWaitMs, waitWindowMs, DEFAULT_WAIT_SECONDS } from '../../../../infra/hooks/wait-for-role-assignments.cjs';
import { repoRoot } from '../../../support/infra/infra-files';
import { parseSimpleYaml, type YamlMap } from '../../../support/infra/simple-yaml';

describe('wait-for-role-assignments hook', () => {
  test('azure.yaml runs the waiting hook after provisioning, on both shells', () => {
    const yaml = parseSimpleYaml(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8'));
    const hook = (yaml.hooks as YamlMap).postprovision as YamlMap;
    for (const os of ['posix', 'windows']) expect((hook[os] as YamlMap).run).toBe('node infra/hooks/wait-for-role-assignments.cjs');
  });

  test('the hook waits out the window from the latest creation time, and not at all once it has passed', () => {
    const created = '2026-01-01T10:00:00.0000000Z,2026-01-01T10:00:05Z';
    const t0 = Date.parse('2026-01-01T10:00:05Z');
    expect(remainingWaitMs(created, t0, 300_000)).toBe(300_000);
    expect(remainingWaitMs(created, t0 + 120_000, 300_000)).toBe(180_000);
    expect(remainingWaitMs(created, t0 + 300_000, 300_000)).toBe(0);
    expect(() => remainingWaitMs('', t0, 1)).toThrow();
    expect(() => remainingWaitMs('soon', t0, 1)).toThrow(/not a date/);
    expect(waitWindowMs(undefined)).toBe(DEFAULT_WAIT_SECONDS * 1000);
    expect(waitWindowMs('0')).toBe(0);
    expect(() => waitWindowMs('5m')).toThrow(/whole number/);
  });

  test('the hook sleeps on a first provision, not on a later one, and never fails the provision on bad input', async () => {
    const slept: number[] = [];
    const lines: string[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    const say = (line: string) => void lines.push(line);
    const justNow = new Date(Date.now() - 1000).toISOString();
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: justNow, ROLE_ASSIGNMENT_WAIT_SECONDS: '60' }, sleep, say)).toBeGreaterThan(50_000);
    expect(slept).toHaveLength(1);
    expect(lines[0]).toMatch(/Waiting \d+ s before the deployment/);
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: '2020-01-01T00:00:00Z' }, sleep, say)).toBe(0);
    expect(await waitMain({ APP_ROLE_ASSIGNMENTS_CREATED_ON: justNow, ROLE_ASSIGNMENT_WAIT_SECONDS: '0' }, sleep, say)).toBe(0);
    expect(await waitMain({}, sleep, say)).toBe(0);
    expect(lines.at(-1)).toMatch(/^Not waiting for role assignments/);
    expect(slept).toHaveLength(1);
  });
});
