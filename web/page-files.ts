import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageFileTypes } from './page-request';

/** One file of the chat page, ready to send. */
export interface PageFile {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * The built page. In the Functions bundle, scripts/build.mjs replaces this module with one that embeds
 * the files, so a deployment needs nothing next to main.js. Unbundled (jest), it reads dist/web/ and
 * leaves out what is not built.
 */
export function loadPageFiles(): ReadonlyMap<string, PageFile> {
  const dir = join(__dirname, '..', 'dist', 'web');
  const files = new Map<string, PageFile>();
  for (const [name, contentType] of Object.entries(pageFileTypes)) {
    try {
      files.set(name, { contentType, body: readFileSync(join(dir, name)) });
    } catch {
      // not built
    }
  }
  return files;
}
