// A small model of the External Secrets Operator and of ArgoCD's apply/prune, enough to walk the
// objects of dist/secrets/ through first sync, resync and rotation without a cluster (as
// authentik-importer.ts models Authentik). Each rule names the ESO function it follows:
// - shouldRefresh / shouldRefreshPeriodic and isSecretValid
//   (pkg/controllers/externalsecret/externalsecret_controller.go): when a reconcile writes the Secret;
// - applyOwnership (same file): creationPolicy Owner takes over an existing Secret that no other
//   ExternalSecret owns and sets itself as its controller, so deleting the ExternalSecret lets
//   Kubernetes' garbage collector delete the Secret;
// - the Password generator returns one key, `password`, a new random value on every call
//   (generators/v1/password); dataFrom rewrite renames it (regexp.ReplaceAll);
// - the Kubernetes provider (providers/v1/kubernetes) reads remoteRef.key in remoteNamespace with the
//   store's ServiceAccount, so a Role must allow `get` on that Secret's name.
// Not modelled (untested here, docs/secrets.md): the API server, webhooks, templates beyond labels,
// refresh timing, ESO versions before v0.16 (no external-secrets.io/v1, no refreshPolicy).
import { randomBytes } from 'node:crypto';

type Doc = Record<string, any>;
interface Secret {
  data: Record<string, string>;
  labels: Record<string, string>;
  /** The ExternalSecret that controls it (ownerReference), if any. */
  owner?: string;
}
interface EsStatus {
  syncedResourceVersion: string;
}

const key = (ns: string, name: string) => `${ns}/${name}`;

export class EsoHarness {
  readonly secrets = new Map<string, Secret>();
  private objects = new Map<string, Doc>();
  private resourceVersion = new Map<string, number>();
  private status = new Map<string, EsStatus>();
  /** How many values the generators produced (a second "once" shows here). */
  generated = 0;

  /** A Secret created out of band (SOPS, kubectl). */
  putSecret(ns: string, name: string, data: Record<string, string>) {
    this.secrets.set(key(ns, name), { data: { ...data }, labels: {} });
  }

  /**
   * ArgoCD syncs the Application with prune: objects applied; a changed object gets a new
   * resourceVersion; an object no longer in the output is deleted, and the Secrets it controlled with it.
   */
  sync(docs: ReadonlyArray<Doc>) {
    const next = new Map(docs.map((d) => [`${d.kind}/${key(d.metadata.namespace, d.metadata.name)}`, d]));
    for (const [id, d] of next) {
      const old = this.objects.get(id);
      if (!old || JSON.stringify(old) !== JSON.stringify(d)) this.resourceVersion.set(id, (this.resourceVersion.get(id) ?? 0) + 1);
    }
    for (const id of this.objects.keys()) {
      if (next.has(id)) continue;
      this.resourceVersion.delete(id);
      this.status.delete(id);
      const es = id.replace(/^ExternalSecret\//, '');
      for (const [k, s] of this.secrets) if (s.owner === es) this.secrets.delete(k);
    }
    this.objects = next;
  }

  /** One reconcile of every ExternalSecret, generated Secrets first (as the sync waves order them). */
  reconcile() {
    const ess = [...this.objects.values()].filter((d) => d.kind === 'ExternalSecret');
    ess.sort(
      (a, b) =>
        Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0) -
        Number(b.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
    );
    for (const es of ess) this.reconcileOne(es);
  }

  private reconcileOne(es: Doc) {
    const id = `ExternalSecret/${key(es.metadata.namespace, es.metadata.name)}`;
    const target = key(es.metadata.namespace, es.spec.target?.name ?? es.metadata.name);
    const rv = String(this.resourceVersion.get(id));
    const existing = this.secrets.get(target);
    if (!this.shouldRefresh(es, this.status.get(id), rv) && this.isSecretValid(existing, es)) return;
    const data = es.spec.dataFrom ? this.generate(es) : this.copy(es);
    const owner = key(es.metadata.namespace, es.metadata.name);
    if (existing?.owner && existing.owner !== owner) throw new Error(`${target} is owned by ${existing.owner}`);
    this.secrets.set(target, { data, labels: { ...(es.spec.target?.template?.metadata?.labels ?? {}) }, owner });
    this.status.set(id, { syncedResourceVersion: rv });
  }

  /** shouldRefresh: CreatedOnce only until the first sync; Periodic/OnChange on a new resourceVersion (timing not modelled). */
  private shouldRefresh(es: Doc, st: EsStatus | undefined, rv: string): boolean {
    if (!st) return true;
    if (es.spec.refreshPolicy === 'CreatedOnce') return false;
    return st.syncedResourceVersion !== rv;
  }

  /** isSecretValid: the Secret exists and is ours (the data-hash check is implied by our own writes). */
  private isSecretValid(s: Secret | undefined, es: Doc): boolean {
    return !!s && s.owner === key(es.metadata.namespace, es.metadata.name);
  }

  private generate(es: Doc): Record<string, string> {
    const out: Record<string, string> = {};
    for (const from of es.spec.dataFrom) {
      const gen = this.objects.get(`Password/${key(es.metadata.namespace, from.sourceRef.generatorRef.name)}`);
      if (!gen) throw new Error(`generator ${from.sourceRef.generatorRef.name} not found`);
      this.generated++;
      let k = 'password';
      for (const r of from.rewrite ?? []) k = k.replace(new RegExp(r.regexp.source), r.regexp.target);
      out[k] = randomBytes(gen.spec.length).toString('hex').slice(0, gen.spec.length);
    }
    return out;
  }

  private copy(es: Doc): Record<string, string> {
    const ns = es.metadata.namespace;
    const store = this.objects.get(`SecretStore/${key(ns, es.spec.secretStoreRef.name)}`);
    if (!store) throw new Error(`SecretStore ${ns}/${es.spec.secretStoreRef.name} not found`);
    const k8s = store.spec.provider.kubernetes;
    const out: Record<string, string> = {};
    for (const d of es.spec.data) {
      if (!this.allowed(k8s.remoteNamespace, d.remoteRef.key, ns, k8s.auth.serviceAccount.name))
        throw new Error(`${ns}/${k8s.auth.serviceAccount.name} may not get ${k8s.remoteNamespace}/${d.remoteRef.key}`);
      const src = this.secrets.get(key(k8s.remoteNamespace, d.remoteRef.key));
      if (!src || src.data[d.remoteRef.property] === undefined)
        throw new Error(`${k8s.remoteNamespace}/${d.remoteRef.key} has no ${d.remoteRef.property}`);
      out[d.secretKey] = src.data[d.remoteRef.property];
    }
    return out;
  }

  /** RBAC as the API server decides it: a RoleBinding in `ns` to this ServiceAccount, its Role allowing get on the name. */
  allowed(ns: string, secret: string, saNamespace: string, sa: string): boolean {
    const docs = [...this.objects.values()];
    return docs.some(
      (b) =>
        b.kind === 'RoleBinding' &&
        b.metadata.namespace === ns &&
        b.subjects.some((s: Doc) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === saNamespace) &&
        docs.some(
          (r) =>
            r.kind === 'Role' &&
            r.metadata.namespace === ns &&
            r.metadata.name === b.roleRef.name &&
            r.rules.some(
              (rule: Doc) =>
                rule.apiGroups.includes('') &&
                rule.resources.includes('secrets') &&
                rule.verbs.includes('get') &&
                (!rule.resourceNames || rule.resourceNames.includes(secret)),
            ),
        ),
    );
  }

  value(ns: string, name: string, k: string): string | undefined {
    return this.secrets.get(key(ns, name))?.data[k];
  }
}
