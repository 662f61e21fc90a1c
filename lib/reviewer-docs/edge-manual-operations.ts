// What the edge leaves to the operator, per mode (entries of dist/docs/manual-operations.yaml):
// copying the file-provider config to a Traefik outside the cluster, or the cluster-side switches
// the in-cluster routes rely on but this tool does not own (Traefik's and the Gateway's settings).
import type { AuthModel } from '../model/derive';
// Spelled through the folder on purpose: the codemod that moved this file (from lib/edge/) reads a
// moved file's imports in its old folder, where './manual-operations' named this very file.
import type { ManualOperation } from '../reviewer-docs/manual-operations';
import { OUTPUT, repoPath } from '../base/paths';

export function edgeManualOperations(m: AuthModel, layer: string): ManualOperation[] {
  const dist = (p: string) => repoPath(m.git.path, p);
  const probe = m.proxyApps[0];
  const verify = probe
    ? [`curl -sI ${probe.externalHost}/ | grep -i '^location: ${m.authentik.url}/'  # an anonymous request is sent to Authentik`]
    : [];
  const ops: ManualOperation[] = [];
  if (!m.edge.inCluster) {
    if (m.proxyApps.length || m.publicApps.length) {
      ops.push({
        id: 'edge-traefik-dynamic-config',
        layer,
        app: 'traefik',
        when: `whenever ${dist(OUTPUT.traefik)} changes`,
        why_manual: 'The edge Traefik runs outside the cluster, where no GitOps agent syncs; its file provider watches a local directory.',
        commands: [`scp ${dist(OUTPUT.traefik)} <edge host>:<file-provider directory>/authentik.yaml`],
        verify,
        status: 'pending',
      });
    }
    return ops;
  }
  // A Middleware in another namespace than its IngressRoute is ignored unless Traefik allows it.
  const foreign = [
    ...new Set(
      m.edge.routes.flatMap((r) =>
        r.chain.flatMap((l) =>
          l.kind === 'foreign' && l.namespace && l.namespace !== r.object?.namespace ? [`${l.namespace}/${l.name}`] : [],
        ),
      ),
    ),
  ];
  if (m.edge.mode === 'traefik-crd' && foreign.length) {
    ops.push({
      id: 'traefik-allow-cross-namespace',
      layer,
      app: 'traefik',
      when: 'once, before the edge Application first syncs',
      why_manual: `IngressRoutes reference Middlewares in other namespaces (${foreign.join(', ')}); Traefik ignores such references unless its kubernetesCRD provider allows cross-namespace references. That is the Traefik chart's setting, not owned here.`,
      commands: ['set providers.kubernetesCRD.allowCrossNamespace: true in the Traefik chart values and sync it'],
      verify: ['kubectl -n <traefik namespace> logs deploy/traefik | grep -i "cross-namespace"  # no "not allowed" errors'],
      status: 'pending',
    });
  }
  // Foreign middlewares are referenced, never emitted: each must exist where the route looks for it.
  const needed = [
    ...new Set(
      m.edge.routes.flatMap((r) =>
        r.chain.flatMap((l) => (l.kind === 'foreign' && r.object ? [`${l.namespace ?? r.object.namespace}/${l.name}`] : [])),
      ),
    ),
  ];
  if (needed.length) {
    ops.push({
      id: 'edge-foreign-middlewares',
      layer,
      app: 'traefik',
      when: 'before the edge Application first syncs, and whenever a chain names a new one',
      why_manual: `Routes reference Middlewares this tool does not own (${needed.join(', ')}); Traefik answers 404 for a route whose middleware is missing.`,
      commands: needed.map(
        (n) => `kubectl -n ${n.split('/')[0]} get middleware.traefik.io ${n.split('/')[1]}  # create it where it is missing`,
      ),
      verify: needed.map((n) => `kubectl -n ${n.split('/')[0]} get middleware.traefik.io ${n.split('/')[1]} -o name`),
      status: 'pending',
    });
  }
  // A route's TLS Secret is read from the route's namespace; it is a certificate, not a value this tool references.
  const secrets = [
    ...new Set(m.edge.routes.flatMap((r) => (r.tls?.secretName && r.object ? [`${r.object.namespace}/${r.tls.secretName}`] : []))),
  ];
  if (secrets.length) {
    ops.push({
      id: 'edge-tls-secrets',
      layer,
      app: 'traefik',
      when: 'before the edge Application first syncs, and before each certificate expires',
      why_manual: `IngressRoutes terminate TLS with the Secrets ${secrets.join(', ')}, which must exist in the route's namespace (issued by cert-manager or created by hand; not owned here).`,
      commands: secrets.map(
        (s) =>
          `kubectl -n ${s.split('/')[0]} get secret ${s.split('/')[1]}  # type kubernetes.io/tls; otherwise create it (cert-manager Certificate, or kubectl create secret tls)`,
      ),
      verify: secrets.map((s) => `kubectl -n ${s.split('/')[0]} get secret ${s.split('/')[1]} -o jsonpath='{.type}'  # kubernetes.io/tls`),
      status: 'pending',
    });
  }
  const namespaces = [...new Set(m.edge.routes.flatMap((r) => (r.object ? [r.object.namespace] : [])))];
  if (m.edge.mode === 'gateway-api') {
    ops.push({
      id: 'gateway-allowed-routes',
      layer,
      app: 'traefik',
      when: 'once, and when a route lands in a new namespace',
      why_manual: `HTTPRoutes in ${namespaces.join(', ')} attach to ${m.edge.parentRefs.map((p) => `${p.namespace ?? '<route namespace>'}/${p.name}${p.sectionName ? `:${p.sectionName}` : ''}`).join(', ')}; the Gateway (not owned here) must admit routes from those namespaces, terminate TLS for their hosts, and Traefik's kubernetesGateway provider must be enabled.`,
      commands: [
        "set the listener's allowedRoutes.namespaces (from: All, or a Selector matching these namespaces) and its TLS certificateRefs",
      ],
      verify: [
        `kubectl get httproute -A -l app.kubernetes.io/part-of=unified-auth -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}: {.status.parents[*].conditions[?(@.type=="Accepted")].status}{"\\n"}{end}'  # all True`,
        ...verify,
      ],
      status: 'pending',
    });
  }
  return ops;
}
