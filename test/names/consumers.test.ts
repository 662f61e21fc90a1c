// Free-text group names (docs/names.md) reach every consumer intact: each consumer's own parser
// reads back exactly the name Authentik holds. Hostile names: quotes, commas, backslashes, line
// breaks, unicode, and the names real layers use ("authentik Admins", "ArgoCD Admins").
import { execFileSync } from 'node:child_process';
import type { Enforcer } from 'casbin';
import jmespath from 'jmespath';
import yaml from 'js-yaml';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { accessExpression, parseAccessExpression } from '../../lib/blueprints/access';
import { BLUEPRINT_SCHEMA, KeyOf } from '../../lib/upstream/blueprint-tags';
import { grafanaPathGroups, policyCsvGroups } from '../../lib/checks/group-references';
import { findings } from '../../lib/checks';
import { valuesOfKey } from '../../lib/checks/rendered';
import { DNS_NAME, type ClusterConfigInput } from '../../lib/config/schema';
import { argocdRbac } from '../../lib/consumers/argocd-values';
import { grafanaRoleAttributePath } from '../../lib/consumers/grafana-values';
import { argocdCanDo, argocdEnforcer } from '../support/argocd-rbac-model';
import { defaultInput, doc, renderInput } from '../support/helpers';

/** One line each: ArgoCD's policy.csv is line based, so these may carry an ArgoCD role. */
const ONE_LINE = [
  'authentik Admins',
  'ArgoCD Admins',
  "o'brien",
  'say "hi"',
  'a,b',
  'back\\slash',
  'tick`tock',
  '#hash',
  ' inner  spaces'.trim(),
  'Ünïcødé 管理者 ✓',
  'emoji 👩‍💻',
];
/** Names Authentik accepts that no policy.csv line can carry. */
const MULTI_LINE = ['line\nbreak', 'tab\there', 'cr\rlf'];
const HOSTILE = [...ONE_LINE, ...MULTI_LINE];

function hostileInput(): ClusterConfigInput {
  const input = defaultInput();
  // The kubectl client admits every group, so every group's binding can match a token.
  delete input.services.find((s) => s.kubectl)!.allowedGroups;
  ONE_LINE.forEach((name, i) =>
    input.groups.push({ name, kubernetes: 'view', argocd: i % 2 ? 'role:readonly' : 'role:admin', grafana: 'Editor' }),
  );
  MULTI_LINE.forEach((name) => input.groups.push({ name, kubernetes: 'view', grafana: 'Admin' }));
  const svc = input.services.find((s) => Array.isArray(s.allowedGroups) && !s.kubectl)!;
  svc.allowedGroups = HOSTILE;
  return input;
}

const r = renderInput(hostileInput());
const APP = 'infrastructure/authentik';

describe('ArgoCD policy.csv (casbin with ArgoCD model, as ArgoCD evaluates it)', () => {
  const rbac = argocdRbac(r.model);
  let enforcer: Enforcer;
  beforeAll(async () => {
    enforcer = await argocdEnforcer(rbac['policy.csv']);
  });

  test.each(ONE_LINE.map((name, i) => [name, i % 2 === 0] as const))('%j gets exactly its role', (name, admin) => {
    expect(argocdCanDo(enforcer, rbac['policy.default'], [name], 'applications', 'sync', APP)).toBe(admin);
    expect(argocdCanDo(enforcer, rbac['policy.default'], [name], 'applications', 'get', APP)).toBe(true);
  });

  test('no part of a hostile name is a group of its own ("a,b" does not make "a" or "b" admin)', () => {
    for (const g of ['a', 'b', 'say', 'o', '"hi"', 'authentik', 'Admins'])
      expect(argocdCanDo(enforcer, rbac['policy.default'], [g], 'applications', 'sync', APP)).toBe(false);
  });

  test("the check's own reader (lib/checks/group-references.ts) reads back every name", () => {
    expect(policyCsvGroups(rbac['policy.csv'])).toEqual(expect.arrayContaining(ONE_LINE));
  });

  test('plain names stay bare, as ArgoCD documents them', () => {
    expect(rbac['policy.csv']).toContain('g, root-admins, role:admin\n');
    expect(rbac['policy.csv']).toContain('g, "say ""hi""", role:readonly\n');
  });
});

describe('Grafana role_attribute_path (jmespath against a claims object)', () => {
  const path = valuesOfKey(doc(r, 'values/grafana.yaml'), 'role_attribute_path')[0].value as string;

  test.each(HOSTILE)('%j yields its role', (name) => {
    expect(jmespath.search({ groups: [name] }, path)).toBe(MULTI_LINE.includes(name) ? 'Admin' : 'Editor');
  });

  test('a near miss yields the fallback', () => {
    for (const g of ['back\\\\slash', 'backslash', "o\\'brien", 'line break', 'a'])
      expect(jmespath.search({ groups: [g] }, path)).toBe('Viewer');
  });

  test('a backtick and a backslash together survive the JSON literal form', () => {
    const p = grafanaRoleAttributePath([{ name: '\\`x`\\', grafanaRole: 'Admin' }], true);
    expect(jmespath.search({ groups: ['\\`x`\\'] }, p)).toBe('Admin');
    expect(jmespath.search({ groups: ['`x`'] }, p)).toBeNull();
  });

  test("the check's own reader reads back every name", () => {
    expect(grafanaPathGroups(path)).toEqual(expect.arrayContaining(HOSTILE));
  });
});

describe('the access policy expression (Python, as Authentik compiles it)', () => {
  const expr = accessExpression(HOSTILE);

  // Authentik runs the policy as the body of a function (authentik/lib/expression/evaluator.py,
  // BaseEvaluator.wrap_expression); ak_is_group_member(user, **filters) filters the user's groups
  // by those keyword arguments (same file, expr_is_group_member), so name= must be the exact name.
  test('python3 parses it and every name= literal is the exact group name (ast.literal_eval)', () => {
    const script = [
      'import ast, json, sys',
      'src = sys.stdin.read()',
      'body = "def policy():\\n" + "".join("    " + l + "\\n" for l in src.splitlines())',
      'tree = ast.parse(body)',
      'names = [ast.literal_eval(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords if k.arg == "name"]',
      'print(json.dumps(names))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], { input: expr, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(HOSTILE);
  });

  test('parseAccessExpression (plan, the importer model) reads the same names back', () => {
    expect(parseAccessExpression(expr)).toEqual(HOSTILE);
  });

  test('the rendered blueprint carries that expression', () => {
    const policies = r.blueprints.flatMap((b) => b.entries).map((e) => e.attrs?.expression);
    expect(policies).toContain(expr);
  });
});

describe('Kubernetes RBAC', () => {
  const bindings = r.files.flatMap((f) => f.docs ?? []).filter((d: any) => d?.kind === 'ClusterRoleBinding') as any[];

  test.each(HOSTILE)('%j: the Group subject is the exact name, prefixed', (name) => {
    const b = bindings.find((x) => x.subjects[0].name === `${r.model.kubernetes.groupsPrefix}${name}`);
    expect(b).toBeDefined();
    expect(b.subjects[0].kind).toBe('Group');
  });

  test('every binding validates (kubernetes-models) and has a DNS subdomain name', () => {
    for (const b of bindings) {
      expect(() => new ClusterRoleBinding(b).validate()).not.toThrow();
      expect(b.metadata.name).toMatch(DNS_NAME);
    }
    expect(bindings.map((b) => b.metadata.name)).toEqual(expect.arrayContaining(['authentik-authentik-admins.view']));
  });
});

describe('YAML (js-yaml dump round-trip)', () => {
  test('every rendered YAML file loads back to the documents rendered', () => {
    for (const f of r.files.filter((x) => x.docs)) expect(yaml.loadAll(f.text)).toEqual(JSON.parse(JSON.stringify(f.docs)));
  });

  test('the groups blueprint, read from its ConfigMap, names every group exactly', () => {
    const bp = r.blueprints.find((b) => b.name === r.model.blueprints.groups.name)!;
    const cm = r.files
      .flatMap((f) => f.docs ?? [])
      .find((d: any) => d?.kind === 'ConfigMap' && d.metadata.name === bp.configMapName) as any;
    const loaded = yaml.load(cm.data[bp.fileName], { schema: BLUEPRINT_SCHEMA }) as any;
    const names = loaded.entries.map((e: any) => e.identifiers.name);
    expect(names).toEqual(expect.arrayContaining(HOSTILE));
    const child = loaded.entries.find((e: any) => e.identifiers.name === HOSTILE[0]);
    expect(child.attrs.parents).toEqual([new KeyOf(r.model.parentGroup.blueprintId)]);
  });
});

describe('Markdown docs', () => {
  test('every table row of every generated page keeps its column count (names are escaped cells)', () => {
    const pipes = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const f of r.files.filter((x) => x.path.endsWith('.md'))) {
      const lines = f.text.split(/\r\n|\r|\n/);
      lines.forEach((l, i) => {
        if (/^\|---/.test(l)) {
          const n = pipes(lines[i - 1]);
          for (let j = i + 1; j < lines.length && lines[j].startsWith('|'); j++) expect([f.path, pipes(lines[j])]).toEqual([f.path, n]);
        }
      });
    }
    expect(r.files.some((f) => f.path.endsWith('.md') && f.text.includes('ArgoCD Admins'))).toBe(true);
  });
});

describe("the tool's own checks", () => {
  test('every check passes on the output rendered with hostile names (each reads the names back its own way)', () => {
    expect(findings(r)).toEqual([]);
  });
});
