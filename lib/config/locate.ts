// Where a config path (`services[3].host`) is written in a TypeScript config, so a schema error in
// config/frank.ts names file:line:column like a syntax error does. Syntax only (no type checker):
// it follows object and array literals from the exported config, and stops at the deepest literal
// it can follow (a spread or a variable). Only used on the error path; needs the `typescript`
// package (a devDependency), and without it problems are reported by config path alone.
import type * as TS from 'typescript';

type Segment = string | number;

/** `services[0]["call back"].host` -> ['services', 0, 'call back', 'host']. */
export function parsePath(p: string): Segment[] | undefined {
  const out: Segment[] = [];
  const re = /\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < p.length && (m = re.exec(p))) {
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
  }
  return re.lastIndex === p.length && out.length ? out : undefined;
}

function loadTs(): typeof TS | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, see above
    return require('typescript') as typeof TS;
  } catch {
    return undefined;
  }
}

/** `line:column` (1-based) of each path in the config source, where found. */
export function locatePaths(file: string, text: string, paths: ReadonlyArray<string>): Map<string, string> {
  const found = new Map<string, string>();
  const ts = loadTs();
  if (!ts) return found;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const vars = new Map<string, TS.Expression>();
  let exported: TS.Expression | undefined;
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      const isExport = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) {
          vars.set(d.name.text, d.initializer);
          if (isExport) exported ??= d.initializer;
        }
      }
    } else if (ts.isExportAssignment(st)) exported = st.expression;
  }
  const unwrap = (e: TS.Expression): TS.Expression => {
    for (let i = 0; i < 20; i++) {
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
      else if (ts.isIdentifier(e) && vars.has(e.text) && vars.get(e.text) !== e) e = vars.get(e.text)!;
      else break;
    }
    return e;
  };
  if (!exported) return found;
  for (const p of paths) {
    const segments = parsePath(p);
    if (!segments) continue;
    let node: TS.Node = unwrap(exported);
    for (const seg of segments) {
      const cur = node as TS.Expression;
      let next: TS.Node | undefined;
      if (typeof seg === 'string' && ts.isObjectLiteralExpression(cur)) {
        const prop = cur.properties.find(
          (pr) => pr.name && (ts.isIdentifier(pr.name) || ts.isStringLiteral(pr.name)) && pr.name.text === seg,
        );
        if (prop && ts.isPropertyAssignment(prop)) next = unwrap(prop.initializer);
        // `{ domain }`: the value is where the variable is defined.
        else if (prop && ts.isShorthandPropertyAssignment(prop)) next = unwrap(prop.name);
        else if (prop) next = prop;
      } else if (typeof seg === 'number' && ts.isArrayLiteralExpression(cur) && !cur.elements.some(ts.isSpreadElement)) {
        const el = cur.elements[seg];
        if (el) next = unwrap(el);
      }
      if (!next) break;
      node = next;
    }
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.set(p, `${line + 1}:${character + 1}`);
  }
  return found;
}
