import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBicepFiles, parseBicep, resources, syntaxProblems, type BicepFile } from '../../support/infra/bicep-tree';

const infraDir = join(__dirname, '..', '..', '..', 'infra');

let files: BicepFile[];
beforeAll(async () => {
  files = await loadBicepFiles(infraDir);
});

test('finds main.bicep and one module per concern', () => {
  expect(files.map((f) => f.rel)).toEqual(
    expect.arrayContaining([
      'main.bicep',
      'modules/app-registration.bicep',
      'modules/function-app-settings.bicep',
      'modules/function-app.bicep',
      'modules/monitoring.bicep',
      'modules/role-assignments.bicep',
      'modules/storage.bicep',
      'modules/web-pubsub-hub.bicep',
      'modules/web-pubsub.bicep',
    ]),
  );
});

test('every .bicep file under infra/ parses with no ERROR or MISSING node', () => {
  const report = files.flatMap((f) => syntaxProblems(f.root).map((p) => `${f.rel}:${p.line}:${p.column} ${p.kind} ${JSON.stringify(p.text)}`));
  expect(report).toEqual([]);
});

test('the parser check is live: a broken template is reported with line and column', async () => {
  const broken = await parseBicep("param a string\nresource r 'T@1' = {\n  name: 'x'\n");
  const problems = syntaxProblems(broken.root);
  expect(problems.length).toBeGreaterThan(0);
  expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
});

test('only exact `extension <alias>` lines are blanked before parsing, and each alias is declared in bicepconfig.json', async () => {
  const config = JSON.parse(readFileSync(join(infraDir, 'bicepconfig.json'), 'utf8')) as { extensions?: Record<string, string> };
  const declared = Object.keys(config.extensions ?? {});
  for (const f of files) for (const alias of f.extensions) expect(declared).toContain(alias);
  // The Microsoft Graph extension at its GA version (Bicep registry).
  expect(config.extensions?.microsoftGraphV1).toBe('br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0');
  // A look-alike inside other text is not blanked, so it still fails the parse.
  const notExact = await parseBicep('extension microsoftGraphV1 with {}\n');
  expect(notExact.extensions).toEqual([]);
  expect(syntaxProblems(notExact.root).length).toBeGreaterThan(0);
});

test('Microsoft Graph resources appear only in files that declare the Graph extension', () => {
  for (const f of files) {
    const usesGraph = resources(f.root).some((r) => r.type.startsWith('Microsoft.Graph/'));
    expect({ file: f.rel, declares: f.extensions.includes('microsoftGraphV1') }).toEqual({ file: f.rel, declares: usesGraph });
  }
});
