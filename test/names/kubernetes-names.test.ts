// Issue 24, finding 2: every derived Kubernetes name fits its limit. The authentik chart mounts each
// blueprint ConfigMap as the worker volume "blueprints-cm-<ConfigMap>" (templates/worker/deployment.yaml;
// CI renders every chart and checks the names, .ci/kubernetes-names.cjs), and a volume name is a
// DNS-1123 label, so the ConfigMap names are checked here against that prefix, offline.
import path from 'node:path';
import { ROOT, defaultInput, loadYamlFile, renderInput } from '../support/helpers';
import { parseConfig } from '../../lib/rules/validate';
import { derive } from '../../lib/model/derive';
import { blueprintRef, fitName } from '../../lib/model/identity';
import { BLUEPRINT_CONFIGMAP_MAX, CHART_BLUEPRINT_VOLUME_PREFIX, DNS_LABEL_MAX } from '../../lib/upstream/conventions';
import { readBlueprints } from '../../lib/previous/blueprints';
import { authentikChanges } from '../../lib/guards/authentik-changes';
import { synth, tmpDir } from '../support/lifecycle';
import { k8sObjects } from '../../lib/checks/rendered';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LONG = path.join(ROOT, 'test/fixtures/long-names.yaml');
const volumeOf = (configMap: string) => `${CHART_BLUEPRINT_VOLUME_PREFIX}${configMap}`;

test('the chart prefix leaves 49 characters for a blueprint ConfigMap name', () => {
  expect(CHART_BLUEPRINT_VOLUME_PREFIX).toBe('blueprints-cm-');
  expect(BLUEPRINT_CONFIGMAP_MAX).toBe(49);
});

test.each([
  ['the default config', defaultInput()],
  ['long-names.yaml (an OIDC slug of 25 characters, a kubectl slug of 35)', loadYamlFile(LONG)],
])('%s: every blueprint ConfigMap of the values gives a worker volume name that is a DNS-1123 label', (_n, input) => {
  const r = renderInput(input);
  const values = r.files.find((f) => f.path === 'values/authentik.yaml')!.docs![0] as { blueprints: { configMaps: string[] } };
  expect(values.blueprints.configMaps).toEqual(r.blueprints.map((b) => b.configMapName));
  for (const cm of values.blueprints.configMaps) {
    expect(volumeOf(cm).length).toBeLessThanOrEqual(DNS_LABEL_MAX);
    expect(volumeOf(cm)).toMatch(DNS_LABEL);
  }
});

test('a name that fits is kept: every name the default config has stays whole', () => {
  const m = derive(parseConfig(defaultInput()));
  expect(
    [m.blueprints.groups, ...m.oidcApps.map((a) => a.blueprint), ...m.kubectlApps.map((k) => k.blueprint)].map((b) => b.configMapName),
  ).toEqual([
    'authentik-blueprint-groups',
    'authentik-blueprint-oidc-providers-15',
    'authentik-blueprint-oidc-providers-11',
    'authentik-blueprint-oidc-providers-5',
    'authentik-blueprint-provider-kubernetes',
  ]);
});

test('a name that does not fit is cut to 49 with a hash of the whole name: deterministic, and distinct for a shared head', () => {
  const a = blueprintRef('provider-infisical-secrets-manager');
  expect(a.configMapName).toBe(fitName('authentik-blueprint-provider-infisical-secrets-manager', 49));
  expect(a.configMapName).toMatch(/^authentik-blueprint-provider-infisical-s-[0-9a-f]{8}$/);
  expect(a.configMapName).toHaveLength(49);
  // The blueprint's own name and file key keep the whole id: Authentik finds the instance by them.
  expect(a.name).toBe('unified-auth-provider-infisical-secrets-manager');
  expect(a.fileName).toBe('provider-infisical-secrets-manager.yaml');
  const b = blueprintRef('provider-infisical-secrets-manager-2');
  expect(b.configMapName).not.toBe(a.configMapName);
  expect(b.configMapName.slice(0, 40)).toBe(a.configMapName.slice(0, 40));
  // At the limit exactly: kept; one more: shortened.
  expect(fitName('x'.repeat(49), 49)).toBe('x'.repeat(49));
  expect(fitName('x'.repeat(50), 49)).toMatch(/^x{40}-[0-9a-f]{8}$/);
  // No "-" before the hash doubles up when the cut falls after one.
  expect(fitName(`${'a'.repeat(39)}-bbbbbbbbbbb`, 49)).toMatch(/^a{39}-[0-9a-f]{8}$/);
});

test('an output of a release before the shortening (a name that could never be mounted) plans the new ConfigMap as a move', () => {
  const out = path.join(tmpDir('k8s-names'), 'dist');
  expect(synth(loadYamlFile(LONG), out)).toEqual([]);
  const after = readBlueprints(out);
  // kubectl keeps a file of its own (OIDC services share hashed shards, docs/oidc-shards.md).
  const long = 'authentik-blueprint-provider-kubernetes-production-cluster-admins';
  const name = 'unified-auth-provider-kubernetes-production-cluster-admins';
  const before = after.map((b) => (b.name === name ? { ...b, configMap: long } : b));
  expect(authentikChanges(before, after).moved).toEqual([
    {
      blueprint: name,
      from: `${long}/provider-kubernetes-production-cluster-admins.yaml`,
      to: `${fitName(long, 49)}/provider-kubernetes-production-cluster-admins.yaml`,
    },
  ]);
});

test('long-names.yaml (release name 53, Helm’s limit): every emitted object’s name and label values fit Kubernetes’ limits', () => {
  const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  // Objects with metadata: the Kubernetes ones (Talos' machine-config documents have none).
  const objects = k8sObjects(renderInput(loadYamlFile(LONG))).filter((o) => o.obj.metadata !== undefined);
  expect(objects.length).toBeGreaterThan(10);
  expect(objects.map((o) => o.obj.kind)).toContain('Service');
  for (const { obj } of objects) {
    const meta = obj.metadata as { name: string; labels?: Record<string, string> };
    // Namespace and Service names are DNS-1123 labels; other objects' are subdomains.
    const label = ['Namespace', 'Service'].includes(String(obj.kind));
    expect({
      kind: obj.kind,
      name: meta.name,
      ok: label ? meta.name.length <= DNS_LABEL_MAX && DNS_LABEL.test(meta.name) : meta.name.length <= 253 && SUBDOMAIN.test(meta.name),
    }).toEqual({ kind: obj.kind, name: meta.name, ok: true });
    for (const v of Object.values(meta.labels ?? {})) expect(v.length <= 63 && LABEL_VALUE.test(v)).toBe(true);
  }
});
