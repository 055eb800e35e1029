/** The parsed infra/ templates, loaded once per test file. */
import { join } from 'node:path';
import { loadBicepFiles, type BicepFile } from './bicep-tree';

export const repoRoot = join(__dirname, '..', '..', '..');
export const infraDir = join(repoRoot, 'infra');

export interface Infra {
  readonly files: readonly BicepFile[];
  /** By path relative to infra/, e.g. 'modules/web-pubsub.bicep'. */
  file(rel: string): BicepFile;
}

let cached: Promise<Infra> | undefined;

export function loadInfra(): Promise<Infra> {
  cached ??= loadBicepFiles(infraDir).then((files) => ({
    files,
    file(rel: string): BicepFile {
      const f = files.find((x) => x.rel === rel);
      if (!f) throw new Error(`infra/${rel} not found`);
      return f;
    },
  }));
  return cached;
}
