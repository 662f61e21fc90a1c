// What the edge leaves to the operator, per mode (entries of dist/docs/manual-operations.yaml):
// copying the file-provider config to a Traefik outside the cluster, or the cluster-side switches
// the in-cluster routes rely on but this tool does not own (Traefik's and the Gateway's settings).
import type { AuthModel } from '../model/derive';
// Spelled through the folder on purpose: the codemod that moved this file (from lib/edge/) reads a
// moved file's imports in its old folder, where './manual-operations' named this very file.
import type { ManualOperation } from '../reviewer-docs/manual-operations';
import { OUTPUT, repoPath } from '../base/paths';
import { engineWords } from './engine-words';

/** What the entries read: the model and the cluster-side objects its routes depend on. */
interface EdgeFacts {
  readonly m: AuthModel;
  readonly dist: (p: string) => string;
  /** The forward-auth probe: an anonymous request is sent to Authentik. */
  readonly verify: string[];
  /** `namespace/name` of Middlewares referenced from another namespace than their route's. */
  readonly crossNamespace: string[];
  /** `namespace/name` of every foreign Middleware, where the route looks for it. */
  readonly foreignMiddlewares: string[];
  /** `namespace/name` of the routes' TLS Secrets. */
  readonly tlsSecrets: string[];
  /** The namespaces of the in-cluster route objects. */
  readonly namespaces: string[];
}

function edgeFacts(m: AuthModel): EdgeFacts {
  const probe = m.proxyApps[0];
  const routes = m.edge.routes;
  return {
    m,
    dist: (p) => repoPath(m.git.path, p),
    verify: probe
      ? [`curl -sI ${probe.externalHost}/ | grep -i '^location: ${m.authentik.url}/'  # an anonymous request is sent to Authentik`]
      : [],
    crossNamespace: [
      ...new Set(
        routes.flatMap((r) =>
          r.chain.flatMap((l) =>
            l.kind === 'foreign' && l.namespace && l.namespace !== r.object?.namespace ? [`${l.namespace}/${l.name}`] : [],
          ),
        ),
      ),
    ],
    foreignMiddlewares: [
      ...new Set(
        routes.flatMap((r) =>
          r.chain.flatMap((l) => (l.kind === 'foreign' && r.object ? [`${l.namespace ?? r.object.namespace}/${l.name}`] : [])),
        ),
      ),
    ],
    tlsSecrets: [...new Set(routes.flatMap((r) => (r.tls?.secretName && r.object ? [`${r.object.namespace}/${r.tls.secretName}`] : [])))],
    namespaces: [...new Set(routes.flatMap((r) => (r.object ? [r.object.namespace] : [])))],
  };
}

/** `namespace/name` -> [namespace, name]. */
const split = (n: string) => n.split('/') as [string, string];

/** One runbook entry: when it applies, and what it says (all entries are app traefik, pending). */
interface EdgeOperation {
  readonly id: string;
  readonly applies: (x: EdgeFacts) => boolean;
  readonly body: (x: EdgeFacts) => Pick<ManualOperation, 'when' | 'why_manual' | 'commands' | 'verify'>;
}

/** The entries, in the order they appear. The first is traefik-file mode's; the others are in-cluster. */
const EDGE_OPERATIONS: ReadonlyArray<EdgeOperation> = [
  {
    id: 'edge-traefik-dynamic-config',
    applies: ({ m }) => !m.edge.inCluster && (m.proxyApps.length > 0 || m.publicApps.length > 0),
    body: ({ m, dist, verify }) => ({
      when: `whenever ${dist(OUTPUT.traefik)} changes`,
      why_manual:
        `The edge Traefik runs outside the cluster, where no GitOps agent ${engineWords(m).applies}; its file provider watches a local directory. ` +
        `This step is optional: with edge.mode traefik-crd (IngressRoutes and Middlewares) or gateway-api (HTTPRoutes) the routes are ${engineWords(m).applied} into the cluster by ${engineWords(m).edge} and nothing is copied by hand (docs/edge.md).`,
      commands: [`scp ${dist(OUTPUT.traefik)} <edge host>:<file-provider directory>/authentik.yaml`],
      verify,
    }),
  },
  {
    // A Middleware in another namespace than its IngressRoute is ignored unless Traefik allows it.
    id: 'traefik-allow-cross-namespace',
    applies: ({ m, crossNamespace }) => m.edge.inCluster && m.edge.mode === 'traefik-crd' && crossNamespace.length > 0,
    body: ({ m, crossNamespace }) => ({
      when: `once, before ${engineWords(m).edge} first ${engineWords(m).applies}`,
      why_manual: `IngressRoutes reference Middlewares in other namespaces (${crossNamespace.join(', ')}); Traefik ignores such references unless its kubernetesCRD provider allows cross-namespace references. That is the Traefik chart's setting, not owned here.`,
      commands: [`set providers.kubernetesCRD.allowCrossNamespace: true in the Traefik chart values and ${engineWords(m).apply} it`],
      verify: ['kubectl -n <traefik namespace> logs deploy/traefik | grep -i "cross-namespace"  # no "not allowed" errors'],
    }),
  },
  {
    // Foreign middlewares are referenced, never emitted: each must exist where the route looks for it.
    id: 'edge-foreign-middlewares',
    applies: ({ m, foreignMiddlewares }) => m.edge.inCluster && foreignMiddlewares.length > 0,
    body: ({ m, foreignMiddlewares: needed }) => ({
      when: `before ${engineWords(m).edge} first ${engineWords(m).applies}, and whenever a chain names a new one`,
      why_manual: `Routes reference Middlewares this tool does not own (${needed.join(', ')}); Traefik answers 404 for a route whose middleware is missing.`,
      commands: needed.map((n) => `kubectl -n ${split(n)[0]} get middleware.traefik.io ${split(n)[1]}  # create it where it is missing`),
      verify: needed.map((n) => `kubectl -n ${split(n)[0]} get middleware.traefik.io ${split(n)[1]} -o name`),
    }),
  },
  {
    // A route's TLS Secret is read from the route's namespace; it is a certificate, not a value this tool references.
    id: 'edge-tls-secrets',
    applies: ({ m, tlsSecrets }) => m.edge.inCluster && tlsSecrets.length > 0,
    body: ({ m, tlsSecrets: secrets }) => ({
      when: `before ${engineWords(m).edge} first ${engineWords(m).applies}, and before each certificate expires`,
      why_manual: `IngressRoutes terminate TLS with the Secrets ${secrets.join(', ')}, which must exist in the route's namespace (issued by cert-manager or created by hand; not owned here).`,
      commands: secrets.map(
        (s) =>
          `kubectl -n ${split(s)[0]} get secret ${split(s)[1]}  # type kubernetes.io/tls; otherwise create it (cert-manager Certificate, or kubectl create secret tls)`,
      ),
      verify: secrets.map((s) => `kubectl -n ${split(s)[0]} get secret ${split(s)[1]} -o jsonpath='{.type}'  # kubernetes.io/tls`),
    }),
  },
  {
    id: 'gateway-allowed-routes',
    applies: ({ m }) => m.edge.inCluster && m.edge.mode === 'gateway-api',
    body: ({ m, namespaces, verify }) => ({
      when: 'once, and when a route lands in a new namespace',
      why_manual: `HTTPRoutes in ${namespaces.join(', ')} attach to ${m.edge.parentRefs.map((p) => `${p.namespace ?? '<route namespace>'}/${p.name}${p.sectionName ? `:${p.sectionName}` : ''}`).join(', ')}; the Gateway (not owned here) must admit routes from those namespaces, terminate TLS for their hosts, and Traefik's kubernetesGateway provider must be enabled.`,
      commands: [
        "set the listener's allowedRoutes.namespaces (from: All, or a Selector matching these namespaces) and its TLS certificateRefs",
      ],
      verify: [
        `kubectl get httproute -A -l app.kubernetes.io/part-of=unified-auth -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}: {.status.parents[*].conditions[?(@.type=="Accepted")].status}{"\\n"}{end}'  # all True`,
        ...verify,
      ],
    }),
  },
];

export function edgeManualOperations(m: AuthModel, layer: string): ManualOperation[] {
  const x = edgeFacts(m);
  return EDGE_OPERATIONS.filter((op) => op.applies(x)).map((op) => ({
    id: op.id,
    layer,
    app: 'traefik',
    ...op.body(x),
    status: 'pending',
  }));
}
