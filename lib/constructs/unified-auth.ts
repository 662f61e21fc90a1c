// The whole auth layer as one construct. Add it to any cdk8s chart:
//
//   const auth = new UnifiedAuth(chart, 'auth', { config: parseConfig(input) });
//
// Its Kubernetes objects (Namespace, Applications, blueprint ConfigMaps, LoadBalancer Service,
// Cilium objects, ClusterRoleBindings, and the in-cluster edge's routes and Middlewares) join that
// chart; everything else the layer emits (Helm values, Talos patch, Traefik file config, kubeconfig
// template, reviewer docs) is in `files`, from the same model. `npm run synth` is one user of this construct (lib/output/render.ts); examples/existing-app/
// is another.
import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import type { ClusterConfig } from '../config/schema';
import { parseConfig } from '../rules/validate';
import type { AuthModel } from '../model/derive';
import { deriveOnce } from '../model/derive-once';
import { buildBlueprints } from '../blueprints/build';
import type { Blueprint } from '../upstream/blueprint-types';
import type { LegacyBinding } from '../blueprints/build';
import { renderFiles } from './files';
import { yamlFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';
import { edgeObjectPath } from '../edge/render';
import { passThroughBlueprints, type PassThroughBlueprint, type PassThroughSource } from '../blueprints/pass-through';
import { AuthApplications } from './apps';
import type { FluxApplications, FluxRelease } from './flux';
import { AuthentikExtras } from './authentik-extras';
import { AuthEdge } from './edge';
import type { ExternalSecrets } from './external-secrets';

// Loaded on first use: each pulls in a CRD model package (flux-cd, external-secrets) that a config
// of the other engine or secrets mode never touches, and start-up pays for every module it
// initialises (docs/design.md#start-up; test/cli/lazy-load.test.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const fluxConstructs = () => require('./flux') as typeof import('./flux');
const esoConstructs = () => require('./external-secrets') as typeof import('./external-secrets');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface UnifiedAuthProps {
  /** A validated config: `parseConfig(input)` (lib/rules/validate.ts) applies defaults and checks it. */
  readonly config: ClusterConfig;
  /**
   * Group policy bindings an older output created (lib/previous/legacy-bindings.ts reads them from it),
   * so the blueprints delete them. `npm run synth` passes those of the output it replaces.
   * @default - none: a first output
   */
  readonly legacyBindings?: ReadonlyArray<LegacyBinding>;
  /**
   * Where the app commits this layer's output in the git repository ArgoCD syncs (the tree
   * `outputFiles()` lays out): the Applications' source paths, the values files they layer and the
   * paths the reviewer docs name are under it. A cdk8s app whose output directory is not `dist/`
   * passes its own; it replaces `git.path` and is checked by the same rules (`ConfigError`).
   * @default config.git.path
   */
  readonly gitPath?: string;
  /**
   * The texts of the files `config.authentik.passThrough` lists, by their repository path
   * (lib/pipeline/pass-through.ts reads them); each is kept byte for byte in a ConfigMap of its own.
   * @default - none: a config that lists pass-through files and gets no text for one is an error
   */
  readonly passThrough?: ReadonlyArray<PassThroughSource>;
}

/** A Kubernetes manifest as cdk8s renders it: every object here has a kind and a name. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

export class UnifiedAuth extends Construct {
  /** Every derived name, URL, client id and secret reference (lib/model/derive.ts). */
  readonly model: AuthModel;
  /** The Authentik blueprints, as validated documents (their ConfigMaps are in `extras`). */
  readonly blueprints: ReadonlyArray<Blueprint>;
  /** The pass-through blueprints (authentik.passThrough), kept as written; their ConfigMaps are in `extras`. */
  readonly passThrough: ReadonlyArray<PassThroughBlueprint>;
  /** What dist/apps/ holds: the authentik Namespace and the ArgoCD Applications, or under Flux its Kustomizations (docs/flux.md). */
  readonly applications: AuthApplications | FluxApplications;
  /** Under Flux: the HelmRepository, HelmRelease and generated values ConfigMap, in dist/authentik-extras/ beside the blueprints. */
  readonly release?: FluxRelease;
  /** What dist/authentik-extras/ holds: blueprint ConfigMaps, LB Service, Cilium objects, ClusterRoleBindings. */
  readonly extras: AuthentikExtras;
  /** What dist/edge/ holds (edge.mode traefik-crd or gateway-api; empty otherwise): routes and owned Middlewares. */
  readonly edge: AuthEdge;
  /** What dist/secrets/ holds in secrets.mode external-secrets (docs/secrets.md); undefined in sops mode. */
  readonly secrets?: ExternalSecrets;
  /** Every non-Kubernetes output, with its path under dist/ (values/, talos/, traefik/, kubeconfig/, docs/). */
  readonly files: ReadonlyArray<OutputFile>;

  constructor(scope: Construct, id: string, props: UnifiedAuthProps) {
    super(scope, id);
    // The model parseConfig derived for this config, unless the config was edited since (derive-once.ts).
    this.model = deriveOnce(withGitPath(props.config, props.gitPath));
    this.blueprints = buildBlueprints(this.model, props.legacyBindings);
    this.passThrough = passThroughBlueprints(this.model.blueprints.passThrough, props.passThrough ?? []);
    const mounted = [...this.blueprints, ...this.passThrough];
    const flux = this.model.gitops.engine === 'flux';
    this.applications = flux
      ? new (fluxConstructs().FluxApplications)(this, 'apps', { model: this.model })
      : new AuthApplications(this, 'apps', { model: this.model });
    this.extras = new AuthentikExtras(this, 'authentik-extras', { model: this.model, blueprints: mounted });
    this.edge = new AuthEdge(this, 'edge', { model: this.model });
    const sec = this.model.secrets;
    this.secrets =
      sec.mode === 'external-secrets'
        ? new (esoConstructs().ExternalSecrets)(this, 'secrets', {
            namespace: this.model.authentik.namespace,
            generated: sec.generated,
            copies: sec.copies,
            stores: sec.stores,
          })
        : undefined;
    this.files = renderFiles(this.model, mounted);
    if (flux) {
      // The ConfigMap carries the values file's text as written, so both engines read the same values.
      const generatedValues = this.file(OUTPUT.authentikValues)!.text;
      this.release = new (fluxConstructs().FluxRelease)(this, 'flux-release', { model: this.model, generatedValues });
    }
  }

  /** The non-Kubernetes file at `path` (an OUTPUT entry of lib/base/paths.ts), if emitted. */
  file(path: string): OutputFile | undefined {
    return this.files.find((f) => f.path === path);
  }

  /**
   * Every output as `npm run synth` writes it: one file per Kubernetes object under the
   * directory its Application syncs (`<kind>-<name>.yaml`; in edge/, whose objects live in many
   * namespaces, `<kind>-<namespace>.<name>.yaml`), then `files`; sorted by path.
   */
  outputFiles(): OutputFile[] {
    const out = [
      ...manifests(this.applications).map((o) => yamlFile(`${OUTPUT.appsDir}/${manifestName(o)}`, o)),
      ...[this.extras, ...(this.release ? [this.release] : [])].flatMap((scope) =>
        manifests(scope).map((o) => yamlFile(`${OUTPUT.extrasDir}/${manifestName(o)}`, o)),
      ),
      ...manifests(this.edge).map((o) => yamlFile(edgeObjectPath(o), o)),
      ...(this.secrets ? manifests(this.secrets).map((o) => yamlFile(edgeObjectPath(o, OUTPUT.secretsDir), o)) : []),
      ...this.files,
    ];
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** The config with `git.path` replaced, validated again: the values-file rules depend on it. */
function withGitPath(config: ClusterConfig, gitPath: string | undefined): ClusterConfig {
  if (gitPath === undefined || gitPath === config.git.path) return config;
  return parseConfig({ ...config, git: { ...config.git, path: gitPath } });
}

/** The Kubernetes objects below `scope`, as cdk8s renders them. */
export function manifests(scope: IConstruct): Manifest[] {
  // toJson() is typed any: every object here is built with an apiVersion, a kind and a name.
  return scope.node.findAll().flatMap((c) => (c instanceof ApiObject ? [c.toJson() as Manifest] : []));
}

/** `<kind>-<name>.yaml`, one Kubernetes object per file so reviews diff per object. */
const manifestName = (o: Manifest) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
