// Grafana values: role_attribute_path is evaluated with a real JMESPath implementation on
// group claims, so the mapping is tested by behaviour, not by string shape.
import jmespath from 'jmespath';
import yaml from 'js-yaml';
import { grafanaRoleAttributePath, grafanaRoleFor, jmespathString } from '../../lib/consumers/grafana-values';
import { derive } from '../../lib/model/derive';
import { parseConfig } from '../../lib/rules/validate';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { defaultInput, doc, file, renderInput } from '../support/helpers';
import { OUTPUT } from '../../lib/base/paths';
import { checkGrafana } from '../../lib/checks/grafana';

const modelOf = (input: ClusterConfigInput) => derive(parseConfig(input));
/** The grafana chart's own values: frank nests them under the subchart key `grafana`. */
const chartValues = (input: ClusterConfigInput) => {
  const d = doc(renderInput(input), OUTPUT.grafanaValues);
  return input.grafana?.parentKey ? d[input.grafana.parentKey] : d;
};
const oauthOf = (input: ClusterConfigInput) => chartValues(input)['grafana.ini']['auth.generic_oauth'];
const roleFor = (expr: string, groups: string[]) => jmespath.search({ groups }, expr);

const frankOauth = oauthOf(defaultInput());
const expr: string = frankOauth.role_attribute_path;

describe('grafana values (frank)', () => {
  const values = chartValues(defaultInput());

  test('server root_url is the Grafana app URL, and envFromSecret names the consumer Secret', () => {
    expect(values['grafana.ini'].server).toEqual({ root_url: 'https://grafana.frank.derio.net' });
    expect(values.envFromSecret).toBe('grafana-oidc-secret');
  });

  test('generic_oauth reads the secret from the env var, never a value', () => {
    expect(frankOauth).toMatchObject({
      enabled: true,
      name: 'Authentik',
      client_id: 'grafana',
      client_secret: '$__env{GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET}',
      auth_url: 'https://auth.frank.derio.net/application/o/authorize/',
      token_url: 'https://auth.frank.derio.net/application/o/token/',
      api_url: 'https://auth.frank.derio.net/application/o/userinfo/',
      role_attribute_strict: false,
    });
    expect(frankOauth.scopes.split(' ')).toEqual(['openid', 'email', 'profile', 'offline_access', 'groups']);
    // offline_access gets Grafana a refresh token, which it uses to renew the session.
    expect(frankOauth.use_refresh_token).toBe(true);
    // No group maps to GrafanaAdmin, so the switch is absent.
    expect(frankOauth).not.toHaveProperty('allow_assign_grafana_admin');
  });

  test('the expression is the seed expression', () => {
    expect(expr).toBe("contains(groups[*], 'root-admins') && 'Admin' || contains(groups[*], 'root-devops') && 'Editor' || 'Viewer'");
  });

  test('the YAML round trip keeps the expression intact', () => {
    const parsed = yaml.load(file(renderInput(defaultInput()), OUTPUT.grafanaValues).text) as Record<string, unknown>;
    expect(parsed).toEqual({ grafana: values });
  });
});

describe('the values file has the shape of the chart that runs Grafana', () => {
  const top = (input: ClusterConfigInput) => Object.keys(doc(renderInput(input), OUTPUT.grafanaValues));

  test('a subchart: everything under the parent key, nothing at the top (the parent chart drops it silently)', () => {
    expect(top(defaultInput())).toEqual(['grafana']);
    const input = defaultInput();
    input.grafana = { ...input.grafana, parentKey: 'kube-grafana' };
    expect(top(input)).toEqual(['kube-grafana']);
    expect(Object.keys(doc(renderInput(input), OUTPUT.grafanaValues)['kube-grafana'])).toEqual(['envFromSecret', 'grafana.ini']);
  });

  test('the standalone grafana chart: envFromSecret and grafana.ini at the top', () => {
    const input = defaultInput();
    delete input.grafana!.parentKey;
    expect(top(input)).toEqual(['envFromSecret', 'grafana.ini']);
  });

  test('the check refuses a fragment at the wrong depth', () => {
    const r = renderInput(defaultInput());
    const f = r.files.find((x) => x.path === OUTPUT.grafanaValues)!;
    f.docs = [(f.docs![0] as Record<string, unknown>).grafana];
    expect(checkGrafana(r).join('\n')).toContain(
      'has no grafana.ini and envFromSecret under "grafana", the key the parent chart passes to its Grafana subchart',
    );
  });
});

describe('role_attribute_path evaluated with JMESPath', () => {
  const m = modelOf(defaultInput());

  test.each(m.groups.map((g) => [g.name, g.grafanaRole ?? 'Viewer']))('a member of %s gets %s', (group, role) => {
    expect(roleFor(expr, [group])).toBe(role);
  });

  test.each([
    [['root-developers', 'root-admins'], 'Admin'],
    [['root-developers', 'root-devops'], 'Editor'],
    [['root-devops', 'root-admins', 'root-developers'], 'Admin'],
    [['root-agents', 'root-devops'], 'Editor'],
    [['someone-else', 'root-developers'], 'Viewer'],
  ])('several groups %j: the most privileged wins (%s)', (groups, role) => {
    expect(roleFor(expr, groups)).toBe(role);
  });

  test('no group: Viewer', () => {
    expect(roleFor(expr, [])).toBe('Viewer');
    expect(roleFor(expr, ['unrelated'])).toBe('Viewer');
  });

  test('grafanaRoleFor (the docs) agrees with the expression', () => {
    const sets = [[], ...m.groups.map((g) => [g.name]), ['root-developers', 'root-devops'], ['root-agents']];
    for (const groups of sets) expect(grafanaRoleFor(m, groups)).toBe(roleFor(expr, groups));
  });
});

describe('role_attribute_strict', () => {
  const input = defaultInput();
  input.grafana = { roleAttributeStrict: true };
  const oauth = oauthOf(input);
  const strictExpr: string = oauth.role_attribute_path;

  test('no fallback: a user in no mapped group gets null, and strict is on', () => {
    expect(oauth.role_attribute_strict).toBe(true);
    expect(roleFor(strictExpr, [])).toBeNull();
    expect(roleFor(strictExpr, ['root-agents'])).toBeNull();
    expect(grafanaRoleFor(modelOf(input), ['root-agents'])).toBeUndefined();
  });

  test('a Viewer group is listed explicitly, since nothing falls back to Viewer', () => {
    expect(roleFor(strictExpr, ['root-developers'])).toBe('Viewer');
    expect(roleFor(strictExpr, ['root-developers', 'root-admins'])).toBe('Admin');
  });
});

describe('changes in the config change the expression', () => {
  test("changing a group's Grafana role", () => {
    const input = defaultInput();
    input.groups.find((g) => g.name === 'root-developers')!.grafana = 'Editor';
    const changed: string = oauthOf(input).role_attribute_path;
    expect(changed).not.toBe(expr);
    expect(changed).toContain("contains(groups[*], 'root-developers') && 'Editor'");
    expect(roleFor(changed, ['root-developers'])).toBe('Editor');
  });

  test('GrafanaAdmin comes first and enables allow_assign_grafana_admin', () => {
    const input = defaultInput();
    input.groups.find((g) => g.name === 'root-devops')!.grafana = 'GrafanaAdmin';
    const oauth = oauthOf(input);
    expect(oauth.allow_assign_grafana_admin).toBe(true);
    expect(oauth.role_attribute_path.startsWith("contains(groups[*], 'root-devops') && 'GrafanaAdmin'")).toBe(true);
    expect(roleFor(oauth.role_attribute_path, ['root-admins', 'root-devops'])).toBe('GrafanaAdmin');
    expect(roleFor(oauth.role_attribute_path, ['root-admins'])).toBe('Admin');
  });

  test('offline_access is requested when configured', () => {
    const input = defaultInput();
    const svc = input.services.find((s) => s.slug === 'grafana')!;
    svc.oidc = { ...svc.oidc!, offlineAccess: true };
    expect(oauthOf(input).scopes).toBe('openid email profile offline_access groups');
  });

  test('no Grafana service: no values file', () => {
    const input = defaultInput();
    input.services = input.services.filter((s) => s.slug !== 'grafana');
    expect(renderInput(input).files.map((f) => f.path)).not.toContain(OUTPUT.grafanaValues);
  });
});

describe('JMESPath raw strings', () => {
  test('a quote is escaped and survives evaluation', () => {
    const e = grafanaRoleAttributePath([{ name: "o'brien", grafanaRole: 'Admin' }], false);
    expect(e).toBe("contains(groups[*], 'o\\'brien') && 'Admin' || 'Viewer'");
    expect(roleFor(e, ["o'brien"])).toBe('Admin');
    expect(roleFor(e, ['obrien'])).toBe('Viewer');
  });

  test('a backslash goes into a JSON literal, not a raw string (implementations disagree on it there)', () => {
    expect(jmespathString('a\\b')).toBe('`"a\\\\b"`');
  });
});
