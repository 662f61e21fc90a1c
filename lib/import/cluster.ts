// The cluster-level part of the draft, from the Applications, values files and LoadBalancer
// Service of the imported layer: chart versions, values files to layer, the repository, the
// LoadBalancer IP and the Secret names; and a line for each operator value the generated values
// files own (docs/values-layering.md), which adopting would replace.
import { AUTHENTIK_ENV } from '../upstream/conventions';
import { ImportError, type Doc } from './read';
import { isRecord, valueAt, asString } from '../base/records';
import { type DraftContext } from './context';

/** The operator's values files of each chart. */
export const valuesOf = (ctx: DraftContext, chart: 'authentik' | 'argocd'): Doc[] =>
  ctx.layer.values.filter((v) => v.chart === chart).map((v) => v.doc);

/** A line for every operator value the generated values own: adopting would replace it. */
export function ownedValuesNotes(ctx: DraftContext, groups: ReadonlyArray<Doc>): void {
  // The generated values own these keys (docs/values-layering.md): what the operator's files set
  // there is replaced, so each such entry is a line.
  const ownedEnv = new Set<string>(Object.values(AUTHENTIK_ENV));
  const adoptedConfigMaps = new Set(ctx.layer.blueprints.map((b) => b.configMap).filter(Boolean));
  for (const v of ctx.layer.values) {
    if (v.chart === 'authentik') {
      for (const list of ['global', 'worker'] as const) {
        const env = valueAt(v.doc, list, 'env');
        for (const e of (Array.isArray(env) ? env : []).filter(isRecord)) {
          if (typeof e.name !== 'string' || (list === 'global' && ownedEnv.has(e.name))) continue;
          ctx.notes.push(
            `${v.where}: ${list}.env ${e.name}: the generated values own global.env and worker.env (a list is replaced whole), so it would be lost; move it to server.env, or drop it if only a blueprint read it`,
          );
        }
      }
      const mounted = valueAt(v.doc, 'blueprints', 'configMaps');
      for (const cm of (Array.isArray(mounted) ? mounted : []).filter((x): x is string => typeof x === 'string'))
        if (!adoptedConfigMaps.has(cm))
          ctx.notes.push(
            `${v.where}: blueprints.configMaps ${cm}: not in the imported directories; the generated list replaces this one, so it is no longer mounted: import its directory too, or retire its objects`,
          );
    }
    if (v.chart === 'argocd') {
      const csv = asString(valueAt(v.doc, 'configs', 'rbac', 'policy.csv')) ?? '';
      for (const line of csv.split('\n').map((l) => l.trim())) {
        if (!line || line.startsWith('#')) continue;
        const m = /^g\s*,\s*([^,\s]+)\s*,\s*(role:admin|role:readonly)\s*$/.exec(line);
        if (m && groups.some((g) => g.name === m[1])) continue;
        ctx.notes.push(
          `${v.where}: policy.csv line "${line}": the generated values own policy.csv; move it to configs.rbac."policy.<name>.csv" (ArgoCD appends those)`,
        );
      }
    }
  }
}

export interface ClusterInputs {
  domain: string;
  authentikUrl: string;
  /** false: the layer's outpost entry lists no providers. */
  manageProviders?: boolean;
  /** --authentik-version: the chart version when the layer names none (never guessed). */
  authentikVersion?: string;
  /** Flux: the release is adopted through gitops.flux.valuesFrom (flux.ts), not ArgoCD's values files. */
  engine?: 'argocd' | 'flux';
}

/** The authentik chart version of a kustomize `helmCharts` entry in the layer (kustomize's HelmChart field `version`). */
function helmChartsVersion(ctx: DraftContext): { version: string; where: string } | undefined {
  for (const o of ctx.layer.objects.filter((x) => x.doc.kind === 'Kustomization')) {
    const charts = Array.isArray(o.doc.helmCharts) ? o.doc.helmCharts.filter(isRecord) : [];
    const c = charts.find((h) => h.name === 'authentik' && typeof h.version === 'string');
    if (c) return { version: String(c.version), where: o.where };
  }
  return undefined;
}

/** The running chart version: from an ArgoCD Application or kustomize helmCharts, else --authentik-version, else refused. */
function authentikChartVersion(ctx: DraftContext, fromApp: string | undefined, given: string | undefined): string {
  const found = fromApp ? { version: fromApp, where: 'the authentik Application' } : helmChartsVersion(ctx);
  if (found && given && found.version !== given)
    throw new ImportError(
      `--authentik-version ${given}: ${found.where} runs chart ${found.version}; give the version the cluster runs, or leave the flag out`,
    );
  const version = found?.version ?? given;
  if (!version)
    throw new ImportError(
      'no authentik chart version in the layer (no ArgoCD Application or kustomize helmCharts entry for the authentik chart): give the running one with --authentik-version <x.y.z>',
    );
  return version;
}

/** An Application's source of a Helm chart, with the Application and all its sources. */
interface ChartSource {
  readonly app: Doc;
  readonly spec: Doc;
  readonly sources: Doc[];
  readonly src: Doc;
}

/** The first Application in the layer whose source (or one of its sources) is `chart`. */
function chartSourceOf(ctx: DraftContext, chart: string): ChartSource | undefined {
  for (const a of ctx.layer.objects.filter((o) => o.doc.kind === 'Application')) {
    const spec = isRecord(a.doc.spec) ? a.doc.spec : {};
    const sources: unknown[] = Array.isArray(spec.sources) ? spec.sources : isRecord(spec.source) ? [spec.source] : [];
    const src = sources.find((s) => isRecord(s) && s.chart === chart);
    if (isRecord(src)) return { app: a.doc, spec, sources: sources.filter(isRecord), src };
  }
  return undefined;
}

const releaseOf = (a: ChartSource | undefined) => asString(valueAt(a?.src, 'helm', 'releaseName'));

/** The live release is taken over: with its values files, or a REVIEW asking for them. */
function adoptRelease(ctx: DraftContext, doc: Doc, key: 'authentik' | 'argocd', files: string[]): void {
  doc.existingRelease = true;
  if (files.length) {
    doc.valueFiles = files;
    return;
  }
  // The draft must validate: say "no values files" explicitly, and say loudly what that risks.
  const what = key === 'argocd' ? 'ArgoCD' : 'Authentik';
  doc.noValueFiles = true;
  ctx.comments.set(
    `${key}.noValueFiles`,
    `REVIEW: no ${what} values file was imported: replace this with valueFiles if the release has any`,
  );
  ctx.notes.push(
    `no ${what} values file in the layer: the draft says ${key}.noValueFiles: true, so the first sync renders the chart from the generated values alone; if the running release has values files, list them in ${key}.valueFiles first`,
  );
}

/** The repository paths of a chart's values files: those its Application lists, else the layer's. */
function valuesFor(ctx: DraftContext, chart: 'authentik' | 'argocd', fromApp: ChartSource | undefined): string[] {
  const helm = fromApp && isRecord(fromApp.src.helm) ? fromApp.src.helm : {};
  const listed = (Array.isArray(helm.valueFiles) ? helm.valueFiles : []).filter((f): f is string => typeof f === 'string');
  // ArgoCD reads `$values/<path>` from the ref source: the repository path is the rest.
  if (listed.length) return listed.map((f) => f.replace(/^\$[a-z0-9-]+\//, ''));
  const files = ctx.layer.values.filter((v) => v.chart === chart);
  for (const v of files.filter((x) => x.repoPathGuessed))
    ctx.notes.push(
      `${v.where}: no .git above it and no Application names it with $values/: the draft calls it ${v.repoPath}; set ${chart}.valueFiles to its path inside the repository`,
    );
  return files.map((v) => v.repoPath);
}

/** authentik.loadBalancer from the layer's LoadBalancer Service for Authentik (placeholders, with REVIEW, when there is none). */
function importLoadBalancer(ctx: DraftContext, authentikApp: ChartSource | undefined): Doc {
  const lb = ctx.layer.objects.find(
    (o) =>
      o.doc.kind === 'Service' &&
      valueAt(o.doc, 'spec', 'type') === 'LoadBalancer' &&
      /authentik/.test(String(valueAt(o.doc, 'metadata', 'name'))),
  );
  const lbIp =
    asString(valueAt(lb?.doc, 'metadata', 'annotations', 'lbipam.cilium.io/ips'))?.split(',')[0] ??
    asString(valueAt(lb?.doc, 'spec', 'loadBalancerIP'));
  const ports = (Array.isArray(valueAt(lb?.doc, 'spec', 'ports')) ? (valueAt(lb?.doc, 'spec', 'ports') as unknown[]) : []).filter(isRecord);
  const loadBalancer: Doc = { ip: lbIp ?? '192.0.2.1', pool: [`${lbIp ?? '192.0.2.1'}/32`] };
  const httpPort = ports.find((p) => p.name === 'http')?.port;
  const httpsPort = ports.find((p) => p.name === 'https')?.port;
  if (typeof httpPort === 'number' && httpPort !== 9000) loadBalancer.httpPort = httpPort;
  if (typeof httpsPort === 'number' && httpsPort !== 9443) loadBalancer.httpsPort = httpsPort;
  ctx.comments.set(
    'authentik.loadBalancer.pool',
    'REVIEW: the Cilium pool the IP comes from is not in the layer; a /32 of the IP is a placeholder',
  );
  if (!lbIp) ctx.comments.set('authentik.loadBalancer.ip', 'REVIEW: no LoadBalancer Service for Authentik found; placeholder IP');
  const lbName = asString(valueAt(lb?.doc, 'metadata', 'name'));
  const expectedLb = `${releaseOf(authentikApp) ?? 'authentik'}-server-lb`;
  if (lb && lbName !== expectedLb)
    ctx.notes.push(
      `${lb.where}: Service ${lbName} is generated as ${expectedLb}; adopting prunes the old one and the new one takes its IP`,
    );
  return loadBalancer;
}

/** authentik.secret and authentik.postgresqlSecret from the Secrets the operator's values read the env from. */
function importAuthentikSecrets(ctx: DraftContext, authentik: Doc): void {
  const secretRefs = valuesOf(ctx, 'authentik')
    .flatMap((v) => (Array.isArray(valueAt(v, 'global', 'env')) ? (valueAt(v, 'global', 'env') as unknown[]) : []))
    .filter(isRecord);
  const refOf = (envName: string) => {
    const e = secretRefs.find((x) => x.name === envName);
    return {
      name: asString(valueAt(e, 'valueFrom', 'secretKeyRef', 'name')),
      key: asString(valueAt(e, 'valueFrom', 'secretKeyRef', 'key')),
    };
  };
  const sk = refOf('AUTHENTIK_SECRET_KEY');
  const bootstrap = refOf('AUTHENTIK_BOOTSTRAP_PASSWORD');
  const pg = refOf('AUTHENTIK_POSTGRESQL__PASSWORD');
  if (sk.name)
    authentik.secret = {
      name: sk.name,
      ...(sk.key ? { secretKey: sk.key } : {}),
      ...(bootstrap.key ? { bootstrapPassword: bootstrap.key } : {}),
    };
  if (pg.name) authentik.postgresqlSecret = { name: pg.name, ...(pg.key ? { key: pg.key } : {}) };
  if (pg.name && pg.name === (sk.name ?? 'authentik-secrets')) {
    // The live setting is kept, acknowledged: the draft validates and the risk is said once.
    (authentik.postgresqlSecret as Doc).sharesAuthentikSecret = true;
    ctx.notes.push(
      `PostgreSQL reads its password from Authentik's own Secret ${pg.name}: kept (authentik.postgresqlSecret.sharesAuthentikSecret: true), but PostgreSQL mounts that Secret whole, so it can read the secret key and every other value in it; the way out: put the password in a Secret of its own and name it in authentik.postgresqlSecret`,
    );
  }
}

/** The `authentik` block: URL, chart, LoadBalancer, Secrets, outpost, adopted blueprints and release. */
function importAuthentik(ctx: DraftContext, inputs: ClusterInputs, authentikApp: ChartSource | undefined): Doc {
  const { domain, authentikUrl, manageProviders, authentikVersion, engine } = inputs;
  const authentik: Doc = {
    url: authentikUrl || `https://auth.${domain}`,
    chart: {
      version: authentikChartVersion(ctx, asString(authentikApp?.src.targetRevision), authentikVersion),
      ...(releaseOf(authentikApp) && releaseOf(authentikApp) !== 'authentik' ? { releaseName: releaseOf(authentikApp) } : {}),
    },
    loadBalancer: importLoadBalancer(ctx, authentikApp),
  };
  importAuthentikSecrets(ctx, authentik);
  if (manageProviders === false) authentik.outpost = { manageProviders: false };
  // A blueprint whose ConfigMap another one keeps has no override (undefined): leave it out, never write `blueprints: null`.
  const shared = Object.fromEntries(Object.entries(ctx.sharedBlueprints).filter(([, v]) => v !== undefined));
  if (Object.keys(shared).length) authentik.blueprints = shared;
  if (engine === 'flux') authentik.existingRelease = true;
  else adoptRelease(ctx, authentik, 'authentik', valuesFor(ctx, 'authentik', authentikApp));
  return authentik;
}

/** The `argocd` block: project, chart, default role and release. */
function importArgocd(
  ctx: DraftContext,
  engine: ClusterInputs['engine'],
  argocdApp: ChartSource | undefined,
  authentikApp: ChartSource | undefined,
): Doc {
  const argocd: Doc = {
    project:
      asString(argocdApp?.app.spec && valueAt(argocdApp.app, 'spec', 'project')) ??
      asString(valueAt(authentikApp?.app, 'spec', 'project')) ??
      'default',
    chart: {
      version: asString(argocdApp?.src.targetRevision) ?? '9.4.6',
      ...(releaseOf(argocdApp) && releaseOf(argocdApp) !== 'argocd' ? { releaseName: releaseOf(argocdApp) } : {}),
    },
  };
  if (!argocdApp) ctx.comments.set('argocd.chart.version', 'REVIEW: no Application for the argo-cd chart found; set the running version');
  const defaultRole = valuesOf(ctx, 'argocd')
    .map((v) => asString(valueAt(v, 'configs', 'rbac', 'policy.default')))
    .find((x) => x !== undefined);
  if (defaultRole === 'role:admin' || defaultRole === 'role:readonly' || defaultRole === '') argocd.defaultRole = defaultRole;
  // Flux does not manage ArgoCD (docs/flux.md): argocd.existingRelease and its values files are ArgoCD-only.
  if (engine !== 'flux') adoptRelease(ctx, argocd, 'argocd', valuesFor(ctx, 'argocd', argocdApp));
  return argocd;
}

/** The `git` block: the repository ArgoCD reads values from (its ref source), and where the output goes. */
function importGit(ctx: DraftContext, refSource: Doc | undefined): Doc {
  const git: Doc = {
    repoURL: asString(refSource?.repoURL) ?? 'https://git.example.org/REVIEW.git',
    ...(asString(refSource?.targetRevision) && refSource?.targetRevision !== 'main' ? { targetRevision: refSource?.targetRevision } : {}),
    path: 'dist',
  };
  ctx.comments.set('git.path', 'REVIEW: where the generated output will live in the repository');
  if (!refSource) ctx.comments.set('git.repoURL', 'REVIEW: no Application with a values ref found; set the repository ArgoCD syncs');
  return git;
}

/** The cluster-level blocks of the draft: `authentik`, `argocd` and `git`. */
export function importCluster(ctx: DraftContext, inputs: ClusterInputs): { authentik: Doc; argocd: Doc; git: Doc } {
  const authentikApp = chartSourceOf(ctx, 'authentik');
  const argocdApp = chartSourceOf(ctx, 'argo-cd');
  const refSource = (authentikApp ?? argocdApp)?.sources.find((s) => typeof s.ref === 'string');
  const authentik = importAuthentik(ctx, inputs, authentikApp);
  const argocd = importArgocd(ctx, inputs.engine, argocdApp, authentikApp);
  return { authentik, argocd, git: importGit(ctx, refSource) };
}
