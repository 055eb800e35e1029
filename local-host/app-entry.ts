import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The files to load for package.json `main`, as the worker does: a path, or a glob with `*`, `**`, `?`
 * (e.g. `dist/src/functions/*.js`). Sorted, so registration order is stable.
 */
export function resolveMainFiles(appDir: string, main: string): string[] {
  if (!/[*?]/.test(main)) return existsSync(join(appDir, main)) ? [join(appDir, main)] : [];
  const pattern = globToRegExp(main.replace(/^\.\//, ''));
  const base = main.slice(0, main.search(/[*?]/)).replace(/[^/]*$/, '');
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (pattern.test(relative(appDir, full).split(sep).join('/'))) {
        found.push(full);
      }
    }
  };
  walk(join(appDir, base));
  return found.sort();
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
