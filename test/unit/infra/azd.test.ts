/** azure.yaml, main.parameters.json and the deployment-package staging hook. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ONLY_DIST_ENTRIES, stageFunctionPackage } from '../../../infra/hooks/stage-function-package.cjs';
import { arrayItems, evaluate, outputs, params, scopeOf, variables } from '../../support/infra/bicep-tree';
import { infraDir, loadInfra, repoRoot, type Infra } from '../../support/infra/infra-files';
import { parseSimpleYaml, type YamlMap } from '../../support/infra/simple-yaml';

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

const azureYaml = (): YamlMap => parseSimpleYaml(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8'));

describe('azure.yaml', () => {
  test('parses, and its one service is a TypeScript function app built from the repository root', () => {
    const y = azureYaml();
    expect(y.name).toBe('webpubsub-serverless');
    const services = y.services as YamlMap;
    expect(Object.keys(services)).toEqual(['api']);
    const api = services.api as YamlMap;
    expect(api).toMatchObject({ project: '.', language: 'ts', host: 'function' });
  });

  test('the service name is the azd-service-name tag on the function app and names the SERVICE_<NAME>_NAME output', () => {
    const [name] = Object.keys(azureYaml().services as YamlMap);
    const main = infra.file('main.bicep');
    expect(evaluate(variables(main.root).get('serviceName')!, scopeOf(main))).toBe(name);
    expect(outputs(main.root).map((o) => o.name)).toContain(`SERVICE_${name!.toUpperCase()}_NAME`);
    // function-app.bicep puts the serviceName parameter into the tag.
    expect(infra.file('modules/function-app.bicep').source).toContain("tags: union(tags, { 'azd-service-name': serviceName })");
  });

  test('the deployed folder is the one the prepackage hook stages, on both shells', () => {
    const api = (azureYaml().services as YamlMap).api as YamlMap;
    expect(api.dist).toBe('infra/.deploy/api');
    const prepackage = (api.hooks as YamlMap).prepackage as YamlMap;
    for (const os of ['posix', 'windows']) {
      const run = (prepackage[os] as YamlMap).run as string;
      expect(run).toBe('node infra/hooks/stage-function-package.cjs');
      expect(existsSync(join(repoRoot, run.split(' ')[1]!))).toBe(true);
    }
    expect(readFileSync(join(infraDir, 'hooks', 'stage-function-package.cjs'), 'utf8')).toContain("path.join(root, 'infra', '.deploy', 'api')");
    // The staged folder is build output: git-ignored.
    expect(readFileSync(join(infraDir, '.gitignore'), 'utf8').split('\n')).toContain('.deploy/');
  });

  test('remoteBuild is left unset: azd derives it from .funcignore, and the staged package deploys the same either way', () => {
    const api = (azureYaml().services as YamlMap).api as YamlMap;
    expect(api.remoteBuild).toBeUndefined();
  });

  test('the YAML reader rejects what it cannot check', () => {
    expect(() => parseSimpleYaml('a:\n  - b\n')).toThrow(/lists/);
    expect(() => parseSimpleYaml('a: [b]\n')).toThrow(/scalars/);
    expect(() => parseSimpleYaml('a:\nb: c\n')).toThrow(/no value/);
    expect(parseSimpleYaml('a:\n  b: "c"\nd: e\n')).toEqual({ a: { b: 'c' }, d: 'e' });
  });
});

describe('main.parameters.json', () => {
  const file = (): { parameters: Record<string, { value: unknown }> } =>
    JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };

  test('feeds the azd environment: AZURE_ENV_NAME, AZURE_LOCATION, AZURE_PRINCIPAL_ID', () => {
    const p = file().parameters;
    expect(p.environmentName?.value).toBe('${AZURE_ENV_NAME}');
    expect(p.location?.value).toBe('${AZURE_LOCATION}');
    expect(p.principalId?.value).toBe('${AZURE_PRINCIPAL_ID}');
  });

  test('every required main.bicep parameter has a value, and every value names a main.bicep parameter', () => {
    const declared = params(infra.file('main.bicep').root);
    const given = Object.keys(file().parameters);
    for (const p of declared.filter((d) => !d.defaultValue)) expect(given).toContain(p.name);
    for (const g of given) expect(declared.map((d) => d.name)).toContain(g);
  });

  test('defaults written as ${VAR=default} are allowed values and equal the Bicep defaults', () => {
    const main = infra.file('main.bicep');
    const declared = new Map(params(main.root).map((p) => [p.name, p]));
    const defaults = scopeOf(main).params;
    let checked = 0;
    for (const [name, { value }] of Object.entries(file().parameters)) {
      const m = /^\$\{([A-Z0-9_]+)=(.*)\}$/.exec(String(value));
      if (!m) continue;
      checked++;
      const p = declared.get(name)!;
      const text = m[2]!;
      const typed = p.type === 'bool' ? text === 'true' : p.type === 'int' ? Number(text) : text;
      expect({ name, value: typed }).toEqual({ name, value: defaults[name] });
      const allowed = p.decorators.get('allowed');
      if (allowed) expect(arrayItems(allowed[0]!).map((n) => evaluate(n, scopeOf(main)))).toContain(typed);
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('docs/deploy.md', () => {
  const readme = (): string => readFileSync(join(infraDir, '..', 'docs', 'deploy.md'), 'utf8');

  test('documents every azd environment variable main.parameters.json reads', () => {
    const text = JSON.stringify(JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')));
    const vars = [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!))].filter((v) => !['AZURE_ENV_NAME', 'AZURE_LOCATION'].includes(v));
    expect(vars.length).toBeGreaterThanOrEqual(10);
    for (const v of vars) expect({ v, documented: readme().includes(v) }).toEqual({ v, documented: true });
  });

  test('covers deploy, delete and the default SKU', () => {
    const text = readme();
    expect(text).toContain('azd up');
    expect(text).toContain('azd down --purge');
    expect(text).toContain('az ad app delete');
    const main = infra.file('main.bicep');
    expect(text).toContain(String(scopeOf(main).params.webPubSubSku));
  });
});

describe('stage-function-package hook', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stage-'));
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({
        name: 'app',
        version: '1.2.3',
        main: 'dist/functions/main.js',
        scripts: { build: 'node scripts/build.mjs' },
        dependencies: { '@azure/functions': '^4' },
        devDependencies: { esbuild: '*' },
      }),
    );
    writeFileSync(join(root, 'host.json'), '{"version":"2.0"}');
    for (const f of [
      'functions/main.js',
      'functions/main.js.map',
      'functions/azure-identity.js',
      'web/chat.js',
      'emulator/main.js',
      'local-host/main.js',
      'start.js',
      'start.js.map',
    ]) {
      mkdirSync(join(root, 'dist', f, '..'), { recursive: true });
      writeFileSync(join(root, 'dist', f), `// ${f}`);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('stages host.json, a package.json with no dependencies or scripts, and the bundle', () => {
    const out = join(root, 'infra', '.deploy', 'api');
    stageFunctionPackage({ root, outDir: out });
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({
      name: 'app',
      version: '1.2.3',
      private: true,
      main: 'dist/functions/main.js',
    });
    expect(readFileSync(join(out, 'host.json'), 'utf8')).toBe('{"version":"2.0"}');
    expect(readFileSync(join(out, 'dist/functions/main.js'), 'utf8')).toBe('// functions/main.js');
    expect(readdirSync(join(out, 'dist')).sort()).toEqual(['functions', 'web']);
    // The file keyless mode loads on demand (scripts/build.mjs) ships beside the bundle.
    expect(readdirSync(join(out, 'dist', 'functions')).sort()).toEqual(['azure-identity.js', 'main.js', 'main.js.map']);
    expect(readdirSync(out).sort()).toEqual(['dist', 'host.json', 'package.json']);
  });

  test('replaces a previous staging', () => {
    const out = join(root, 'staged');
    mkdirSync(join(out, 'dist', 'stale'), { recursive: true });
    stageFunctionPackage({ root, outDir: out });
    expect(existsSync(join(out, 'dist', 'stale'))).toBe(false);
  });

  test('refuses to stage without the bundle', () => {
    rmSync(join(root, 'dist', 'functions'), { recursive: true });
    expect(() => stageFunctionPackage({ root, outDir: join(root, 'staged') })).toThrow(/does not exist: run the build/);
  });

  test("the repository's package.json main is the Functions bundle scripts/build.mjs writes, and the dev-only entries are its other outputs", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    // Whitespace folded, so that the check does not depend on how the formatter wraps the target list.
    const build = readFileSync(join(repoRoot, 'scripts', 'build.mjs'), 'utf8').replace(/\s+/g, ' ');
    expect(build).toContain(`entryPoints: ['functions/index.ts'], outfile: '${pkg.main}'`);
    for (const entry of DEV_ONLY_DIST_ENTRIES.filter((e) => !e.endsWith('.map')))
      expect(build).toMatch(new RegExp(`outfile: 'dist/${entry.replace('.', '\\.')}`));
  });
});
