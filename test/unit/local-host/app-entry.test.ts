import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globToRegExp, resolveMainFiles } from '../../../local-host/app-entry';

describe('globToRegExp', () => {
  it.each([
    ['dist/*.js', 'dist/a.js', true],
    ['dist/*.js', 'dist/sub/a.js', false],
    ['dist/**/*.js', 'dist/a.js', true],
    ['dist/**/*.js', 'dist/x/y/a.js', true],
    ['dist/?.js', 'dist/ab.js', false],
    ['dist/a.js', 'distXa.js', false],
  ])('%s vs %s', (glob, path, ok) => expect(globToRegExp(glob).test(path)).toBe(ok));
});

describe('resolveMainFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-host-entry-'));
    mkdirSync(join(dir, 'dist/functions'), { recursive: true });
    mkdirSync(join(dir, 'dist/node_modules'), { recursive: true });
    for (const f of ['dist/functions/b.js', 'dist/functions/a.js', 'dist/functions/a.js.map', 'dist/node_modules/x.js']) writeFileSync(join(dir, f), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('expands a glob in a stable order and skips node_modules', () => {
    expect(resolveMainFiles(dir, 'dist/**/*.js')).toEqual([join(dir, 'dist/functions/a.js'), join(dir, 'dist/functions/b.js')]);
  });
  it('returns a plain path only when it exists', () => {
    expect(resolveMainFiles(dir, './dist/functions/a.js')).toEqual([join(dir, 'dist/functions/a.js')]);
    expect(resolveMainFiles(dir, 'dist/missing.js')).toEqual([]);
  });
});
