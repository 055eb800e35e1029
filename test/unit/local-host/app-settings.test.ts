import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppSettingsError, applySettings, readAppSettings } from '../../../local-host/app-settings';

describe('applySettings', () => {
  it('fills unset variables and keeps those already set', () => {
    const env: Record<string, string | undefined> = { A: 'from env' };
    expect(applySettings(env, { A: 'from file', B: 'b' })).toEqual(['A']);
    expect(env).toEqual({ A: 'from env', B: 'b' });
  });
});

describe('readAppSettings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-host-settings-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ main: 'dist/*.js' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers local.settings.json over the sample and reads CORS and the route prefix', () => {
    writeFileSync(join(dir, 'local.settings.sample.json'), JSON.stringify({ Values: { A: 'sample' } }));
    writeFileSync(join(dir, 'local.settings.json'), JSON.stringify({ Values: { A: 'real', N: 5 }, Host: { CORS: '*', CorsCredentials: true } }));
    writeFileSync(join(dir, 'host.json'), JSON.stringify({ extensions: { http: { routePrefix: '' } } }));
    expect(readAppSettings(dir)).toEqual({
      file: 'local.settings.json',
      values: { A: 'real', N: '5' },
      cors: '*',
      corsCredentials: true,
      routePrefix: '',
      main: 'dist/*.js',
    });
  });

  it('falls back to the sample and to the api prefix', () => {
    writeFileSync(join(dir, 'local.settings.sample.json'), JSON.stringify({ Values: { A: 'sample' } }));
    const settings = readAppSettings(dir);
    expect(settings.file).toBe('local.settings.sample.json');
    expect(settings.routePrefix).toBe('api');
  });

  it('names the file that is not valid JSON', () => {
    writeFileSync(join(dir, 'local.settings.json'), '{ nope');
    expect(() => readAppSettings(dir)).toThrow(AppSettingsError);
    expect(() => readAppSettings(dir)).toThrow(/^local\.settings\.json is not valid JSON/);
  });

  it('explains a package.json without main', () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(() => readAppSettings(dir)).toThrow(/has no "main"/);
  });
});
