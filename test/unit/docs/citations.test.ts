/**
 * The documentation holds together:
 * - every Markdown document that source or test code cites (`docs/protocol/auth.md §3`, `cloud-events.md`)
 *   exists in the repository, and every cited section (`§3`, `§4.2`, `§5–§7`) is a numbered heading in it;
 * - a `§` in code always names its document (or an RFC), so that no citation points nowhere;
 * - in README.md, CHANGELOG.md and docs/**, every relative link (and its #anchor) and every repository path
 *   written as code points at something that exists.
 * The checker runs on the repository, and on a small made-up repository to prove that it catches each kind
 * of mistake.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders whose files may cite documents. */
const SOURCE_DIRS = ['functions', 'shared', 'emulator', 'local-host', 'web', 'scripts', 'bench', 'test', 'infra'];
const SOURCE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs|bicep|html|css)$/;
/** Built, installed or generated: not part of the sources. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.snapshot', '.deploy', 'coverage', 'test-output', '.git']);
/** Top-level folders: a code span starting with one of them is a repository path. */
const REPO_FOLDERS = [...SOURCE_DIRS, 'docs'];
/** Paths that docs may name although they only exist after a build, a bench run or a deploy. */
const GENERATED_PATHS = [/^bench\/results\/[^/]+\.json$/, /^bench\/soak\/results\/[^/]+\.json$/, /^bench\/\.snapshot(\/|$)/, /^infra\/\.deploy(\/|$)/];

interface Problem {
  file: string;
  line: number;
  message: string;
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'README.md')) && existsSync(join(dir, 'docs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

function walk(dir: string, keep: (path: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;
const toPosix = (path: string): string => path.split(sep).join('/');

/** Section numbers of the numbered headings of a Markdown file ("## 4. …", "### 4.2 …"). */
function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) sections.add(m[1]!);
  return sections;
}

/** GitHub's heading anchors, with -1, -2… for repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/**
 * The sections cited right after a document name: "§3", "§2, §3", "§3 and §5", "§4.2/§6", "§5–§7", "§2–3".
 * Returns the sections and where the citation ends; stops at anything else ("§2 #19", "§4.2 step 3").
 */
function sectionsAfter(text: string, start: number): { sections: string[]; end: number } {
  const sections: string[] = [];
  const re = /\s*(?:(?:,|\/|and|&)\s*)?§\s*(\d+(?:\.\d+)*)(?:\s*[–-]\s*§?\s*(\d+(?:\.\d+)*))?/y;
  let end = start;
  for (;;) {
    re.lastIndex = end;
    const m = re.exec(text);
    if (!m || (sections.length === 0 && /^\s*(?:,|\/|and|&)/.test(m[0]))) break;
    const from = m[1]!;
    const to = m[2];
    if (to && /^\d+$/.test(from) && /^\d+$/.test(to) && Number(to) >= Number(from)) {
      for (let n = Number(from); n <= Number(to); n++) sections.push(String(n));
    } else {
      sections.push(from);
      if (to) sections.push(to);
    }
    end = re.lastIndex;
  }
  return { sections, end };
}

/** Finds the file a citation names: relative to the citing file, then the root, docs/ and docs/protocol/. */
function resolveDocument(root: string, citingFile: string, name: string): string | undefined {
  const candidates = [resolve(dirname(citingFile), name), resolve(root, name)];
  if (!name.includes('/')) candidates.push(resolve(root, 'docs', name), resolve(root, 'docs', 'protocol', name));
  return candidates.find((c) => c.startsWith(root) && existsSync(c) && statSync(c).isFile());
}

/** A § of a specification outside the repository, named just before it: "RFC 4648 §3.5, §5", "CloudEvents HTTP binding 1.0.2 §3.1.3.2". */
const EXTERNAL_SPEC_BEFORE = /(?:RFC\s*\d+|CloudEvents HTTP binding(?:\s*[\d.]+)?)(?:\s*§\s*[\d.]+\s*(?:,|;|and|\/)\s*)*\s*$/;

const DOC_NAME = /(?<![\w$}/.-])((?:\.{1,2}\/)*(?:[\w.-]+\/)*[\w-]+\.md)\b/g;

/** Citations of documents, and of sections, in one file's text. */
function checkCitations(root: string, file: string, text: string, problems: Problem[]): void {
  const rel = toPosix(relative(root, file));
  const isMarkdown = file.endsWith('.md');
  // In Markdown, "[auth.md](protocol/auth.md) §3" cites protocol/auth.md: keep only the link target.
  const body = isMarkdown ? text.replace(/\[[^\]\n]*\]\(([^)\s]+)\)/g, (_all, target: string) => target) : text;
  const covered: [number, number][] = [];
  for (const m of body.matchAll(DOC_NAME)) {
    const name = m[1]!;
    const at = m.index!;
    // A string that is nothing but a file name ('README.md') is a path the code works with, not a citation.
    const quote = body[at - 1];
    if (!isMarkdown && (quote === "'" || quote === '"' || quote === '`') && body[at + m[0].length] === quote) continue;
    const { sections, end } = sectionsAfter(body, at + m[0].length);
    covered.push([at, end]);
    if (isMarkdown && !sections.length) continue; // plain links are checked with the other links
    const target = resolveDocument(root, file, name);
    if (!target) {
      problems.push({ file: rel, line: lineOf(body, at), message: `cites ${name}, which is not in the repository` });
      continue;
    }
    const have = sectionsOf(readFileSync(target, 'utf8'));
    for (const s of sections) {
      if (!have.has(s))
        problems.push({ file: rel, line: lineOf(body, at), message: `cites ${name} §${s}, but ${toPosix(relative(root, target))} has no section ${s}` });
    }
  }
  // A § that no document name claims: in Markdown it means this document; in code it must follow an RFC.
  for (const m of body.matchAll(/§(?=\s*\d)/g)) {
    const at = m.index!;
    if (covered.some(([a, b]) => at >= a && at < b)) continue;
    const own = sectionsAfter(body, at);
    if (isMarkdown) {
      const have = sectionsOf(text);
      for (const s of own.sections)
        if (!have.has(s)) problems.push({ file: rel, line: lineOf(body, at), message: `refers to §${s} of itself, which has no such section` });
      continue;
    }
    if (EXTERNAL_SPEC_BEFORE.test(body.slice(Math.max(0, at - 80), at))) continue;
    problems.push({ file: rel, line: lineOf(body, at), message: `has a § without the document it belongs to (write "docs/protocol/<name>.md §N")` });
  }
}

/** Relative links and repository paths in one Markdown file. */
function checkLinksAndPaths(root: string, file: string, text: string, problems: Problem[]): void {
  const rel = toPosix(relative(root, file));
  const fences = [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)];
  const prose = text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' '));
  for (const m of prose.matchAll(/\[[^\]\n]*\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart ? resolve(dirname(file), decodeURI(pathPart)) : file;
    const line = lineOf(prose, m.index!);
    if (!resolved.startsWith(root) || !existsSync(resolved)) {
      problems.push({ file: rel, line, message: `links to ${target}, which does not exist` });
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
      problems.push({ file: rel, line, message: `links to ${target}, but that page has no heading #${anchor}` });
    }
  }
  const codeTexts: { text: string; offset: number }[] = [];
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) codeTexts.push({ text: m[1]!, offset: m.index! + 1 });
  for (const f of fences) codeTexts.push({ text: f[1]!, offset: f.index! + f[0].indexOf('\n') + 1 });
  const folder = new RegExp(`^(?:\\./)?((?:${REPO_FOLDERS.join('|')})/[\\w./-]*)$`);
  for (const { text: code, offset } of codeTexts) {
    for (const token of code.matchAll(/[^\s'"=,;()]+/g)) {
      const m = folder.exec(token[0]);
      if (!m) continue;
      const path = m[1]!.replace(/[.:]+$/, '');
      if (GENERATED_PATHS.some((g) => g.test(path))) continue;
      const exists = ['', '.ts', '.mjs', '.cjs', '.js'].some((ext) => existsSync(join(root, path + ext)));
      if (!exists) problems.push({ file: rel, line: lineOf(text, offset + token.index!), message: `names ${path}, which is not in the repository` });
    }
  }
}

/** `exclude`: files not to scan for citations (this test, whose strings are made-up citations). */
function checkRepository(root: string, exclude: string[] = []): Problem[] {
  const problems: Problem[] = [];
  const sources = SOURCE_DIRS.flatMap((d) => walk(join(root, d), (p) => SOURCE_EXTENSIONS.test(p) && !exclude.includes(p)));
  const docs = [join(root, 'README.md'), join(root, 'CHANGELOG.md'), ...walk(join(root, 'docs'), (p) => p.endsWith('.md'))].filter((p) => existsSync(p));
  for (const file of [...sources, ...docs]) checkCitations(root, file, readFileSync(file, 'utf8'), problems);
  for (const file of docs) checkLinksAndPaths(root, file, readFileSync(file, 'utf8'), problems);
  return problems;
}

const format = (problems: Problem[]): string[] => problems.map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('documentation citations and links', () => {
  const root = findRepoRoot(__dirname);

  test('every cited document and section exists, and every link and path in the docs resolves', () => {
    expect(format(checkRepository(root, [__filename]))).toEqual([]);
  });

  test('the protocol notes that code comments cite are in docs/protocol/', () => {
    for (const name of ['auth', 'client-protocols', 'cloud-events', 'rest-api', 'sdk-notes']) {
      const text = readFileSync(join(root, 'docs', 'protocol', `${name}.md`), 'utf8');
      expect({ name, sections: sectionsOf(text).size > 3 }).toEqual({ name, sections: true });
    }
  });

  test('the checker finds more than a handful of citations in the code, so it is really looking', () => {
    const sources = SOURCE_DIRS.flatMap((d) => walk(join(root, d), (p) => SOURCE_EXTENSIONS.test(p)));
    const cited = sources.reduce((n, f) => n + [...readFileSync(f, 'utf8').matchAll(/docs\/protocol\/[\w-]+\.md\s*§/g)].length, 0);
    expect(cited).toBeGreaterThan(100);
  });

  describe('on a made-up repository', () => {
    let fake: string;
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(fake, path)), { recursive: true });
      writeFileSync(join(fake, path), text);
    };
    beforeEach(() => {
      fake = mkdtempSync(join(tmpdir(), 'citations-'));
      write('package.json', '{}');
      write('README.md', '# Fake\n\nSee [the notes](docs/protocol/auth.md#3-tokens) and `shared/ok.ts`.\n');
      write('docs/protocol/auth.md', '# Auth\n\n## 1. Keys\n\n### 1.2 Keyless\n\n## 3. Tokens\n\nAs in §1.2.\n');
      write('shared/ok.ts', "// docs/protocol/auth.md §3 and §1.2; RFC 6455 §5.5, §7; auth.md §1–§1.2 is fine too\nexport const tree = ['test/README.md'];\n");
    });
    afterEach(() => rmSync(fake, { recursive: true, force: true }));

    test('a correct repository has no problems', () => {
      expect(format(checkRepository(fake))).toEqual([]);
    });

    test('a missing section, a missing document and a § without a document are each reported', () => {
      write('shared/bad.ts', '// docs/protocol/auth.md §4\n// see style-anchors.md "Errors"\n// as §3 says\n// cloud-events.md §2\n');
      expect(format(checkRepository(fake))).toEqual([
        'shared/bad.ts:1: cites docs/protocol/auth.md §4, but docs/protocol/auth.md has no section 4',
        'shared/bad.ts:2: cites style-anchors.md, which is not in the repository',
        'shared/bad.ts:4: cites cloud-events.md, which is not in the repository',
        'shared/bad.ts:3: has a § without the document it belongs to (write "docs/protocol/<name>.md §N")',
      ]);
    });

    test('ranges and lists are checked section by section', () => {
      write('test/range.test.ts', "describe('tokens (docs/protocol/auth.md §1–§3, §1.2/§5)', () => {});\n");
      expect(format(checkRepository(fake))).toEqual([
        'test/range.test.ts:1: cites docs/protocol/auth.md §2, but docs/protocol/auth.md has no section 2',
        'test/range.test.ts:1: cites docs/protocol/auth.md §5, but docs/protocol/auth.md has no section 5',
      ]);
    });

    test('broken links, anchors, paths and self-references in the docs are reported', () => {
      write(
        'docs/guide.md',
        '# Guide\n\n[gone](missing.md), [bad anchor](protocol/auth.md#9-nothing), [ok](../README.md#fake)\n\n`shared/gone.ts` and `bench/results/latest.json`\n\n```sh\nnode scripts/none.mjs\n```\n\nSee [auth](protocol/auth.md) §7. Here §2.\n',
      );
      expect(format(checkRepository(fake))).toEqual([
        'docs/guide.md:11: cites protocol/auth.md §7, but docs/protocol/auth.md has no section 7',
        'docs/guide.md:11: refers to §2 of itself, which has no such section',
        'docs/guide.md:3: links to missing.md, which does not exist',
        'docs/guide.md:3: links to protocol/auth.md#9-nothing, but that page has no heading #9-nothing',
        'docs/guide.md:5: names shared/gone.ts, which is not in the repository',
        'docs/guide.md:8: names scripts/none.mjs, which is not in the repository',
      ]);
    });
  });
});
