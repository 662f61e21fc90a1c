// Where each emitted file goes, relative to the output directory (dist/). Renderers, checks,
// docs and the Applications' repository paths all read these, so a rename is one edit.
const TALOS_DIR = 'talos';

export const OUTPUT = {
  appsDir: 'apps',
  extrasDir: 'authentik-extras',
  /** In-cluster edge modes: IngressRoutes/HTTPRoutes and Middlewares, synced by the `edge` Application. */
  edgeDir: 'edge',
  /** secrets.mode external-secrets: the ESO objects, synced by the authentik-secrets Application (docs/secrets.md). */
  secretsDir: 'secrets',
  authentikValues: 'values/authentik.yaml',
  argocdValues: 'values/argocd.yaml',
  grafanaValues: 'values/grafana.yaml',
  talosDir: TALOS_DIR,
  talosPatch: `${TALOS_DIR}/apiserver-oidc.yaml`,
  omniPatch: `${TALOS_DIR}/omni-configpatch-apiserver-oidc.yaml`,
  traefik: 'traefik/authentik.yaml',
  kubeconfig: 'kubeconfig/agent.yaml',
  peopleKubeconfig: 'kubeconfig/people.yaml',
  accessDoc: 'docs/ACCESS.md',
  secretsDoc: 'docs/SECRETS.md',
  manualOperations: 'docs/manual-operations.yaml',
  architectureDoc: 'docs/architecture.md',
  /** Only during a domain move: its phase and moves, read back to keep the phases in order (lib/guards/migration.ts). */
  migrationRecord: 'docs/migration.yaml',
  /** The list of generated files with their sha256 (lib/output/write.ts): proves the directory is synth's. */
  manifest: '.unified-auth.sha256',
} as const;

/** Any file under dist/talos/ (what the apiserver is told to trust), expected or not. */
export const isTalosFile = (path: string): boolean => path.startsWith(`${OUTPUT.talosDir}/`);

/** Where an output file sits in the git repository ArgoCD syncs (`git.path` is dist/'s place in it). */
export const repoPath = (gitPath: string, outputPath: string): string => `${gitPath}/${outputPath}`;
