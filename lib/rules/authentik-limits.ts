// Limits the config's names meet only through another system: slugs Authentik refuses for an
// application, adopted ConfigMap names the Authentik chart cannot mount, release names Helm
// refuses. Each problem is one line naming the config path (docs/kubernetes-names.md,
// docs/authentik-importer.md).
import type { ClusterConfig } from '../config/schema';
import { reservedSlugsOf } from '../upstream/authentik-versions';
import { integrationsOf } from '../model/patterns';
import { BLUEPRINT_CONFIGMAP_MAX, CHART_BLUEPRINT_VOLUME_PREFIX, DNS_LABEL_MAX, HELM_RELEASE_NAME_MAX } from '../upstream/conventions';

/**
 * An application slug on Authentik's reserved list (authentik/core/api/applications.py,
 * ApplicationSerializer.validate_slug) fails its whole blueprint file, and with it every service
 * that shares the file (forward auth, agents).
 */
export function reservedSlugProblems(c: ClusterConfig, minor: string): string[] {
  const reserved = reservedSlugsOf(minor);
  const out: string[] = [];
  c.services.forEach((s, i) => {
    if (s.retired) return;
    for (const n of integrationsOf(s)) {
      if (n.kind === 'public' || !reserved.includes(n.application.slug)) continue;
      const override = n.kind === 'oidc' ? n.oidc.application : n.kind === 'forwardAuth' ? n.forwardAuth.application : undefined;
      const path = override?.slug ? `services[${i}].${n.kind}.application.slug` : `services[${i}].slug`;
      out.push(
        `${path}: "${n.application.slug}" is reserved by Authentik ${minor} for its OAuth2 endpoints (reserved: ${reserved.join(', ')}); pick another slug`,
      );
    }
  });
  return [...new Set(out)];
}

/** Adopted blueprint ConfigMaps, by config path. Generated names are shortened instead (identity.ts). */
function adoptedConfigMaps(c: ClusterConfig): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, b] of Object.entries(c.authentik.blueprints))
    if (b) out.push([`authentik.blueprints.${key}.configMapName`, b.configMapName]);
  c.services.forEach((s, i) => {
    if (s.oidc?.blueprint) out.push([`services[${i}].oidc.blueprint.configMapName`, s.oidc.blueprint.configMapName]);
    if (s.forwardAuth?.blueprint) out.push([`services[${i}].forwardAuth.blueprint.configMapName`, s.forwardAuth.blueprint.configMapName]);
  });
  return out;
}

/**
 * The chart names the worker volume of a blueprint ConfigMap after it; a name over the label limit
 * makes the API server reject the worker Deployment.
 */
export function configMapNameProblems(c: ClusterConfig): string[] {
  return adoptedConfigMaps(c)
    .filter(([, name]) => name.length > BLUEPRINT_CONFIGMAP_MAX)
    .map(
      ([path, name]) =>
        `${path}: "${name}" has ${name.length} characters; the Authentik chart mounts it as volume "${CHART_BLUEPRINT_VOLUME_PREFIX}${name}", over Kubernetes' ${DNS_LABEL_MAX}-character limit, so a ConfigMap name may have at most ${BLUEPRINT_CONFIGMAP_MAX}`,
    );
}

/** Helm's own limit on release names; the charts and our LB Service name objects after them. */
export function releaseNameProblems(c: ClusterConfig): string[] {
  const releases: Array<[string, string]> = [
    ['authentik.chart.releaseName', c.authentik.chart.releaseName],
    ['argocd.chart.releaseName', c.argocd.chart.releaseName],
  ];
  return releases
    .filter(([, name]) => name.length > HELM_RELEASE_NAME_MAX)
    .map(([path, name]) => `${path}: "${name}" has ${name.length} characters; Helm refuses release names over ${HELM_RELEASE_NAME_MAX}`);
}
