// ArgoCD RBAC evaluated the way ArgoCD evaluates it: casbin with ArgoCD's model, its built-in
// policy, globOrRegexMatch, and policy.default. The policy under test is the generated one.
import type { Enforcer } from 'casbin';
import yaml from 'js-yaml';
import { argocdCanDo, argocdEnforcer, globMatch, globToRegExp, regexMatch } from '../support/argocd-rbac-model';
import { argocdRbac } from '../../lib/consumers/argocd-values';
import { defaultInput, doc, renderInput } from '../support/helpers';

const r = renderInput(defaultInput());
const rbac = argocdRbac(r.model);
let enforcer: Enforcer;

beforeAll(async () => {
  enforcer = await argocdEnforcer(rbac['policy.csv']);
});

/** A user whose token carries these groups (scopes: [groups]). */
const canDo = (groups: string[], res: string, act: string, obj: string) =>
  argocdCanDo(enforcer, rbac['policy.default'], groups, res, act, obj);

const APP = 'infrastructure/authentik';

test('the generated values are what is evaluated', () => {
  expect(doc(r, 'values/argocd.yaml').configs.rbac).toEqual(rbac);
  expect(rbac.scopes).toBe('[groups]');
  expect(rbac['policy.default']).toBe('role:readonly');
});

describe.each(['root-admins', 'root-devops'])('%s (role:admin)', (group) => {
  test.each(['sync', 'delete', 'create', 'update', 'override', 'get'])('may %s applications', (act) => {
    expect(canDo([group], 'applications', act, APP)).toBe(true);
  });
  test('may run resource actions and exec, and manage clusters', () => {
    expect(canDo([group], 'applications', 'action/apps/Deployment/restart', APP)).toBe(true);
    expect(canDo([group], 'exec', 'create', APP)).toBe(true);
    expect(canDo([group], 'clusters', 'update', 'https://kubernetes.default.svc')).toBe(true);
  });
});

describe('root-developers (role:readonly)', () => {
  test('may get applications, logs and projects', () => {
    expect(canDo(['root-developers'], 'applications', 'get', APP)).toBe(true);
    expect(canDo(['root-developers'], 'logs', 'get', APP)).toBe(true);
    expect(canDo(['root-developers'], 'projects', 'get', 'infrastructure')).toBe(true);
  });
  test.each(['sync', 'delete', 'create', 'update', 'override'])('may not %s applications', (act) => {
    expect(canDo(['root-developers'], 'applications', act, APP)).toBe(false);
  });
  test('may not exec', () => {
    expect(canDo(['root-developers'], 'exec', 'create', APP)).toBe(false);
  });
});

describe('policy.default', () => {
  test('a user in no group gets role:readonly: get yes, sync no', () => {
    expect(canDo([], 'applications', 'get', APP)).toBe(true);
    expect(canDo([], 'applications', 'sync', APP)).toBe(false);
    expect(canDo(['not-a-configured-group'], 'applications', 'sync', APP)).toBe(false);
  });
  test('root-agents has no ArgoCD role and falls back to the default', () => {
    expect(r.model.groups.find((g) => g.name === 'root-agents')!.argocdRole).toBeUndefined();
    expect(canDo(['root-agents'], 'applications', 'get', APP)).toBe(true);
    expect(canDo(['root-agents'], 'applications', 'sync', APP)).toBe(false);
    expect(canDo(['root-agents'], 'applications', 'delete', APP)).toBe(false);
  });
  test('several groups: the union (developers + devops may sync)', () => {
    expect(canDo(['root-developers', 'root-devops'], 'applications', 'sync', APP)).toBe(true);
  });
  test('with an empty policy.default a user in no group may do nothing', async () => {
    const input = defaultInput();
    input.argocd.defaultRole = '';
    const m = renderInput(input).model;
    const e = await argocdEnforcer(argocdRbac(m)['policy.csv']);
    expect(argocdCanDo(e, argocdRbac(m)['policy.default'], [], 'applications', 'get', APP)).toBe(false);
    expect(argocdCanDo(e, argocdRbac(m)['policy.default'], ['root-developers'], 'applications', 'get', APP)).toBe(true);
  });
});

test('every configured group gets exactly its role (or the default)', () => {
  for (const g of r.model.groups) {
    const role = g.argocdRole ?? rbac['policy.default'];
    expect(canDo([g.name], 'applications', 'sync', APP)).toBe(role === 'role:admin');
    expect(canDo([g.name], 'applications', 'get', APP)).toBe(true);
  }
});

test('the built-in admin user is role:admin (ArgoCD built-in policy)', () => {
  expect(enforcer.enforceSync('admin', 'applications', 'sync', APP)).toBe(true);
});

test('the policy.csv in the values file is exactly the g-lines of the groups', () => {
  const csv = yaml.load(yaml.dump(rbac['policy.csv'])) as string;
  expect(csv.trim().split('\n')).toEqual(['g, root-admins, role:admin', 'g, root-devops, role:admin', 'g, root-developers, role:readonly']);
});

describe('globOrRegexMatch (gobwas/glob, no separators)', () => {
  test.each([
    ['*/*', 'infrastructure/authentik', true],
    ['*', 'a/b/c', true],
    ['*/*', 'noslash', false],
    ['action/*', 'action/apps/Deployment/restart', true],
    ['update/*', 'update', false],
    ['infra*/auth?ntik', 'infrastructure/authentik', true],
    ['{get,sync}', 'sync', true],
    ['{get,sync}', 'delete', false],
    ['[a-c]pps', 'bpps', true],
    ['[!a-c]pps', 'bpps', false],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
  ])('%s ~ %s -> %s', (pattern, text, want) => {
    expect(globMatch(pattern, text)).toBe(want);
  });
  test('a pattern that does not compile matches nothing', () => {
    expect(globToRegExp('[abc')).toBeUndefined();
    expect(globToRegExp('{a,b')).toBeUndefined();
    expect(globMatch('{a,b', 'a')).toBe(false);
  });
  test('regex mode is unanchored, like Go regexp.MatchString', () => {
    expect(regexMatch('^infra.*', 'infrastructure/authentik')).toBe(true);
    expect(regexMatch('auth', 'infrastructure/authentik')).toBe(true);
    expect(regexMatch('(', 'x')).toBe(false);
  });
});
