/**
 * A deliberately small YAML reader for azure.yaml: nested mappings of plain or quoted scalars,
 * indented with spaces, full-line comments. Anything else (lists, flow collections, anchors,
 * multi-line scalars, tabs) throws, which keeps azure.yaml within what this test can verify.
 */
export type YamlMap = { [key: string]: string | YamlMap };

export function parseSimpleYaml(text: string): YamlMap {
  const root: YamlMap = {};
  // Stack of [indent, map]; the root has indent -1.
  const stack: Array<{ indent: number; map: YamlMap }> = [{ indent: -1, map: root }];
  let pendingKey: { key: string; indent: number; parent: YamlMap } | undefined;

  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    if (/\t/.test(line.slice(0, line.length - line.trimStart().length))) throw new Error(`line ${i + 1}: tab indentation`);
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body.startsWith('- ') || body === '-') throw new Error(`line ${i + 1}: lists are not supported`);
    const m = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(body);
    if (!m) throw new Error(`line ${i + 1}: not a "key: value" line: ${body}`);
    const key = m[1]!;
    const rest = m[2];

    if (pendingKey) {
      if (indent > pendingKey.indent) {
        const child: YamlMap = {};
        pendingKey.parent[pendingKey.key] = child;
        stack.push({ indent, map: child });
      } else {
        throw new Error(`line ${i + 1}: "${pendingKey.key}" has no value`);
      }
      pendingKey = undefined;
    }
    while (stack.length > 1 && indent < stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (indent !== top.indent && top.indent !== -1) throw new Error(`line ${i + 1}: inconsistent indentation`);
    if (top.indent === -1) top.indent = indent;
    if (Object.prototype.hasOwnProperty.call(top.map, key)) throw new Error(`line ${i + 1}: duplicate key ${key}`);

    if (rest === undefined || rest === '') {
      pendingKey = { key, indent, parent: top.map };
      return;
    }
    top.map[key] = scalar(rest, i + 1);
  });
  if (pendingKey) throw new Error(`"${pendingKey.key}" has no value`);
  return root;
}

function scalar(raw: string, line: number): string {
  if (/^[[{&*!|>]/.test(raw)) throw new Error(`line ${line}: only plain or quoted scalars are supported`);
  if (/\s#/.test(raw) && !/^['"]/.test(raw)) throw new Error(`line ${line}: trailing comments are not supported`);
  const quoted = /^'(.*)'$/.exec(raw) ?? /^"(.*)"$/.exec(raw);
  return quoted ? quoted[1]! : raw;
}
