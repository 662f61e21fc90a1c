// No emitted object exceeds what the API server accepts (lib/checks/object-size.ts), also for a
// large cluster, whose forward-auth blueprint is split across ConfigMaps (lib/model/derive.ts).
import { checkObjectSizes, MAX_OBJECT_BYTES, objectBytes } from '../../lib/checks/object-size';
import { checkBlueprintConfigMaps } from '../../lib/checks/blueprint-configmaps';
import { findings } from '../../lib/checks';
import { k8sObjects } from '../../lib/checks/rendered';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { defaultInput, doc, renderInput } from '../support/helpers';

/** The default config plus `n` forward-auth services and groups up to `groups` in all. */
function large(n: number, groups: number): ClusterConfigInput {
  const c = defaultInput();
  for (let i = c.groups.length; i < groups; i++) c.groups.push({ name: `root-team-${i}` });
  for (let i = 0; i < n; i++) {
    c.services.push({
      slug: `svc-${i}`,
      name: `Service ${i}`,
      host: `svc-${i}.frank.derio.net`,
      allowedGroups: ['root-admins'],
      forwardAuth: { upstream: `http://10.0.${Math.floor(i / 250)}.${i % 250}:80` },
    });
  }
  return c;
}

describe('a large cluster synthesizes into objects under the limit', () => {
  // 300 forward-auth services with 24 groups were one 1.8 MB ConfigMap before the split.
  const r = renderInput(large(300, 24));

  test('every check passes, including blueprints.configMaps = the emitted ConfigMaps and the object size', () => {
    expect(findings(r)).toEqual([]);
  });

  test('the forward-auth blueprint is split across ConfigMaps, every object well under the limit', () => {
    const names = doc(r, 'values/authentik.yaml').blueprints.configMaps as string[];
    expect(names.filter((n) => n.startsWith('authentik-blueprint-proxy-providers')).length).toBeGreaterThan(1);
    const largest = Math.max(...k8sObjects(r).map(({ obj }) => objectBytes(obj)));
    expect(largest).toBeLessThan(MAX_OBJECT_BYTES / 2);
  });

  test('the size check fires on an oversized object', () => {
    const cm = k8sObjects(r, 'ConfigMap')[0].obj as unknown as { data: Record<string, string> };
    cm.data.extra = 'x'.repeat(MAX_OBJECT_BYTES);
    expect(checkObjectSizes(r)).toEqual([
      expect.stringMatching(
        /^authentik-extras\/configmap-.*\.yaml: ConfigMap ".*" is \d+ bytes; the API server accepts at most 1048576 \(1 MiB\)/,
      ),
    ]);
    expect(checkBlueprintConfigMaps(r).length).toBeGreaterThan(0);
  });
});

describe('many OIDC services share 16 shard files (docs/oidc-shards.md)', () => {
  // 600 by default; UA_OIDC_SERVICES=2000 measured: 20 blueprint ConfigMaps, the largest 336 KB.
  const N = Number(process.env.UA_OIDC_SERVICES ?? 600);
  const c = defaultInput();
  for (let i = 0; i < N; i++) {
    c.services.push({
      slug: `app-${i}`,
      name: `App ${i}`,
      host: `app-${i}.frank.derio.net`,
      allowedGroups: ['root-admins'],
      oidc: { consumer: 'generic', callbackPath: '/oauth2/callback' },
    });
  }
  const r = renderInput(c);

  test('one blueprint ConfigMap (one worker volume) per shard, not per service; every object under the limit', () => {
    expect(findings(r)).toEqual([]);
    const names = doc(r, 'values/authentik.yaml').blueprints.configMaps as string[];
    expect(names.filter((n) => n.startsWith('authentik-blueprint-oidc-providers-')).length).toBe(16);
    expect(names.length).toBeLessThanOrEqual(16 + 5);
    const largest = Math.max(...k8sObjects(r, 'ConfigMap').map(({ obj }) => objectBytes(obj)));
    expect(largest).toBeLessThan(MAX_OBJECT_BYTES / 2);
  });
});
