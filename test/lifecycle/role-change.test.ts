// One edit to a group's roles flows into every system at once, and into nothing else (issue 4).
import yaml from 'js-yaml';
import { defaultInput, doc, file, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';

test("changing root-developers' roles changes policy.csv, role_attribute_path, its ClusterRoleBinding and ACCESS.md together", () => {
  // The ClusterRoleBinding is replaced, not edited: roleRef is immutable, so the role is in its
  // name and the authentik-extras Application prunes the old one.
  const before = renderInput(defaultInput());
  const input = defaultInput();
  Object.assign(input.groups[2], { kubernetes: 'edit', argocd: 'role:admin', grafana: 'Editor' });
  const after = renderInput(input);

  const texts = (r: typeof before) => new Map(r.files.map((f) => [f.path, f.text]));
  const a = texts(before);
  const b = texts(after);
  // The manifest lists every file's hash, so it changes with any of them.
  const changed = [...new Set([...a.keys(), ...b.keys()])].filter((p) => p !== OUTPUT.manifest && a.get(p) !== b.get(p)).sort();
  expect(changed).toEqual([
    'authentik-extras/clusterrolebinding-authentik-root-developers.edit.yaml',
    'authentik-extras/clusterrolebinding-authentik-root-developers.view.yaml',
    'docs/ACCESS.md',
    'values/argocd.yaml',
    'values/grafana.yaml',
  ]);

  expect(doc(after, 'values/argocd.yaml').configs.rbac['policy.csv']).toContain('g, root-developers, role:admin');
  expect(doc(after, 'values/grafana.yaml').grafana['grafana.ini']['auth.generic_oauth'].role_attribute_path).toContain(
    "contains(groups[*], 'root-developers') && 'Editor'",
  );
  expect(doc(after, 'authentik-extras/clusterrolebinding-authentik-root-developers.edit.yaml').roleRef.name).toBe('edit');
  expect(after.files.some((f) => f.path.endsWith('clusterrolebinding-authentik-root-developers.view.yaml'))).toBe(false);
  const row = file(after, 'docs/ACCESS.md')
    .text.split('\n')
    .find((l) => l.startsWith('| root-developers |'))!;
  expect(row).toContain('| edit | role:admin | Editor |');
  // The ArgoCD side is still valid YAML with the same issuer.
  expect(yaml.load(doc(after, 'values/argocd.yaml').configs.cm['oidc.config'])).toMatchObject({ clientID: 'argocd' });
});
