// Authentik's own naming rules, not stricter ones (docs/names.md), and the config errors for what
// Authentik or a derived Kubernetes name cannot carry.
import type { ClusterConfigInput } from '../../lib/config/schema';
import { groupKubernetesName } from '../../lib/model/identity';
import { KeyOf } from '../../lib/upstream/blueprint-tags';
import { defaultInput, inputProblems, renderInput } from '../support/helpers';

/** The config problems of an input ([] when it is valid). */
const problems = (input: ClusterConfigInput): string[] => inputProblems(input);

const withGroups = (...groups: ClusterConfigInput['groups']) => {
  const input = defaultInput();
  input.groups.push(...groups);
  return input;
};

describe('group names are free text, as in Authentik', () => {
  // authentik/core/models.py, class Group: `name` is a TextField with unique=True and no validator.
  test.each(['authentik Admins', 'ArgoCD Admins', 'lab_users', 'Ünïcødé ✓', 'a,b "c" \\d'])('%j is accepted', (name) => {
    expect(problems(withGroups({ name }))).toEqual([]);
  });

  test('groupParent and allowedGroups take free text too', () => {
    const input = withGroups({ name: 'ArgoCD Admins' });
    input.groupParent = 'authentik Admins';
    input.services.find((s) => Array.isArray(s.allowedGroups))!.allowedGroups = ['ArgoCD Admins'];
    expect(problems(input)).toEqual([]);
  });

  // The API serializer's CharField (DRF rest_framework/fields.py, CharField.__init__ and
  // run_validation) trims whitespace, refuses "" and refuses NUL: such a name would change on the way in.
  test.each([
    ['', /must not be empty/],
    [' leading', /start or end with whitespace/],
    ['trailing ', /start or end with whitespace/],
    ['nul\u0000', /NUL/],
    ['lone \ud800', /lone surrogate/],
  ])('%j is refused, naming the path', (name, why) => {
    const out = problems(withGroups({ name }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^groups\[4\]\.name: /);
    expect(out[0]).toMatch(why);
  });

  // Group.name is unique=True, compared exactly (PostgreSQL's default collation is deterministic).
  test('an exact duplicate is refused', () => {
    expect(problems(withGroups({ name: 'root-admins' }))).toEqual(['groups[4].name: duplicate group "root-admins"']);
  });
});

describe('the Kubernetes name form of a group', () => {
  test.each([
    ['root-admins', 'root-admins'],
    ['ArgoCD Admins', 'argocd-admins'],
    ['authentik Admins', 'authentik-admins'],
    ['lab_users', 'lab-users'],
    ['--a..b--', 'a-b'],
    ['x'.repeat(70), 'x'.repeat(63)],
    [`${'y'.repeat(62)} z`, 'y'.repeat(62)],
  ])('%j -> %j', (name, form) => {
    expect(groupKubernetesName(name)).toBe(form);
  });

  test('a name with no letter or digit to keep gets a stable hash form', () => {
    expect(groupKubernetesName('管理者')).toMatch(/^g-[0-9a-f]{8}$/);
    expect(groupKubernetesName('管理者')).toBe(groupKubernetesName('管理者'));
    expect(groupKubernetesName('管理者')).not.toBe(groupKubernetesName('利用者'));
  });

  test('names the ClusterRoleBinding of a free-text group', () => {
    const input = withGroups({ name: 'ArgoCD Admins', kubernetes: 'view' });
    delete input.services.find((s) => s.kubectl)!.allowedGroups;
    const paths = renderInput(input).files.map((f) => f.path);
    expect(paths).toContain('authentik-extras/clusterrolebinding-authentik-argocd-admins.view.yaml');
  });

  test.each([
    ['Admins', 'admins'],
    ['ArgoCD Admins', 'argocd_admins'],
    ['a.b', 'a-b'],
  ])('%j and %j (same form) are one error naming both paths', (a, b) => {
    expect(problems(withGroups({ name: a }, { name: b }))).toEqual([
      `groups[5].name: derives the Kubernetes name form of a group "${groupKubernetesName(b)}", which groups[4].name derives too; rename one of them`,
    ]);
  });
});

describe('several parents (2026.x Group.parents is a many-to-many field)', () => {
  test('each parent becomes a !KeyOf in the groups blueprint', () => {
    const r = renderInput(withGroups({ name: 'ops', parents: ['root-admins', 'root-devops'] }));
    const entry = r.blueprints.flatMap((b) => b.entries).find((e) => e.identifiers.name === 'ops')!;
    expect(entry.attrs!.parents).toEqual([new KeyOf('group-root-admins'), new KeyOf('group-root-devops')]);
    expect(r.files.find((f) => f.path === 'docs/ACCESS.md')!.text).toContain('Every group is a descendant of `root`.');
  });

  // authentik/blueprints/v1/common.py, KeyOf.resolve: only an entry already applied is found.
  test('a parent listed later, the group itself or an unknown group is refused', () => {
    expect(problems(withGroups({ name: 'a', parents: ['b'] }, { name: 'b' }))).toEqual([
      'groups[4].parents[0]: "b" is not the groupParent or a group listed before groups[4] (a parent must come first)',
    ]);
    expect(problems(withGroups({ name: 'a', parents: ['a'] }))).toEqual(['groups[4].parents[0]: "a" is the group itself']);
  });

  test('an empty list is refused', () => {
    expect(problems(withGroups({ name: 'a', parents: [] }))[0]).toMatch(/^groups\[4\]\.parents: must name at least one group/);
  });
});

describe('what a consumer cannot carry', () => {
  test('a line break in a group with an ArgoCD role is refused (policy.csv is one rule per line)', () => {
    expect(problems(withGroups({ name: 'a\nb', argocd: 'role:admin' }))[0]).toMatch(/^groups\[4\]\.name: .*policy\.csv/);
    expect(problems(withGroups({ name: 'a\nb' }))).toEqual([]);
  });
});
