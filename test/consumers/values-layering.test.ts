// Values layering (docs/values-layering.md): the generated Applications list the operator's own
// values files next to the generated one, in the configured order, and the generated files hold
// only the keys the auth layer owns. CI renders the real charts with both (.ci/helm-layering.cjs).
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { checkValueFiles } from '../../lib/checks/value-files';
import { defaultInput, doc, renderInput } from '../support/helpers';

const valueFiles = (r: ReturnType<typeof renderInput>, app: string): string[] =>
  doc(r, `apps/application-${app}.yaml`).spec.sources.find((s: { chart?: string }) => s.chart).helm.valueFiles;

describe('the Applications list the values files in Helm order', () => {
  test('operatorFirst (the default): the operator files, then the generated file, whose auth keys win', () => {
    const c = defaultInput();
    c.argocd.valueFiles = ['apps/argocd/base.yaml', 'apps/argocd/frank.yaml'];
    const r = renderInput(c);
    expect(valueFiles(r, 'argocd')).toEqual([
      '$values/apps/argocd/base.yaml',
      '$values/apps/argocd/frank.yaml',
      '$values/dist/values/argocd.yaml',
    ]);
    expect(valueFiles(r, 'authentik')).toEqual(['$values/apps/authentik/values.yaml', '$values/dist/values/authentik.yaml']);
    expect(checkValueFiles(r)).toEqual([]);
    expect(() => new Application(doc(r, 'apps/application-argocd.yaml')).validate()).not.toThrow();
  });

  test("generatedFirst: the generated file first, so the operator's keys win", () => {
    const c = defaultInput();
    c.authentik.valuesOrder = 'generatedFirst';
    const r = renderInput(c);
    expect(valueFiles(r, 'authentik')).toEqual(['$values/dist/values/authentik.yaml', '$values/apps/authentik/values.yaml']);
    expect(valueFiles(r, 'argocd')).toEqual(['$values/apps/argocd/values.yaml', '$values/dist/values/argocd.yaml']);
  });

  test('no operator files (acknowledged, or a new Authentik): the generated file alone', () => {
    const c = defaultInput();
    delete c.argocd.valueFiles;
    c.argocd.noValueFiles = true;
    delete c.authentik.existingRelease;
    delete c.authentik.valueFiles;
    const r = renderInput(c);
    expect(valueFiles(r, 'argocd')).toEqual(['$values/dist/values/argocd.yaml']);
    expect(valueFiles(r, 'authentik')).toEqual(['$values/dist/values/authentik.yaml']);
  });

  test('a $values file that is neither rendered nor configured is a finding', () => {
    const r = renderInput(defaultInput());
    doc(r, 'apps/application-argocd.yaml').spec.sources[0].helm.valueFiles.unshift('$values/apps/argocd/old.yaml');
    expect(checkValueFiles(r)).toEqual([
      'apps/application-argocd.yaml: value file "$values/apps/argocd/old.yaml" is neither a rendered file (dist is at dist/) nor a configured operator values file',
    ]);
  });
});

describe('the generated values files hold only the keys the auth layer owns', () => {
  const r = renderInput(defaultInput());

  test('argocd: url and oidc.config, the RBAC, Dex off; nothing about ingress, domain, admin or the server', () => {
    const v = doc(r, 'values/argocd.yaml');
    expect(Object.keys(v).sort()).toEqual(['configs', 'dex']);
    expect(Object.keys(v.configs).sort()).toEqual(['cm', 'rbac']);
    expect(Object.keys(v.configs.cm).sort()).toEqual(['oidc.config', 'url']);
    expect(Object.keys(v.configs.rbac).sort()).toEqual(['policy.csv', 'policy.default', 'scopes']);
    expect(v.dex).toEqual({ enabled: false });
  });

  test('authentik: env, secrets, blueprint mounts, the chart Service type and PostgreSQL auth; no replicas, placement or persistence', () => {
    const v = doc(r, 'values/authentik.yaml');
    expect(Object.keys(v).sort()).toEqual(['authentik', 'blueprints', 'global', 'postgresql', 'server', 'worker']);
    expect(Object.keys(v.global)).toEqual(['env']);
    expect(v.server).toEqual({ service: { type: 'ClusterIP' } });
    expect(Object.keys(v.worker)).toEqual(['env']);
    expect(Object.keys(v.postgresql)).toEqual(['auth']);
  });

  test('a new Authentik release (existingRelease false) gets the bundled PostgreSQL; a running one keeps its database', () => {
    const c = defaultInput();
    delete c.authentik.existingRelease;
    delete c.authentik.valueFiles;
    expect(doc(renderInput(c), 'values/authentik.yaml').postgresql.enabled).toBe(true);
    expect(doc(r, 'values/authentik.yaml').postgresql.enabled).toBeUndefined();
  });
});
