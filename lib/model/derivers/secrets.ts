// Secrets in external-secrets mode (docs/secrets.md): every value the layer needs in the Authentik
// namespace, where it comes from in its generation (a Password generator, or the SOPS Secret it
// adopts), and the consumers' copies with the stores and Roles that allow them. sops mode has none.
import type { ClusterConfig } from '../../config/schema';
import type {
  AgentApp,
  ConsumerCopy,
  GeneratedSecret,
  OidcApp,
  PasswordShape,
  SecretPlace,
  SecretStoreAccess,
  SecretValue,
  SecretsModel,
} from '../types';
import { appPasswordHexBytes } from './agents';

/** The pod-template annotation whose value lists the generations a pod reads. */
export const RESTART_ANNOTATION = 'unified-auth/rotation-generations';
/** On the authentik-secrets Application: the keys adopted in place from the SOPS Secret. */
export const ADOPTED_ANNOTATION = 'unified-auth/adopted';
/** ServiceAccount and SecretStore of each consumer namespace (one per namespace, so fixed names). */
export const ESO_SERVICE_ACCOUNT = 'unified-auth-eso';
export const ESO_STORE = 'authentik';

/** Letters and digits only: no value needs quoting in a URL, a shell or an HTTP Basic header. */
const shape = (length: number, noUpper = false): PasswordShape => ({ length, noUpper });
const dashed = (key: string) => key.toLowerCase().replace(/[^a-z0-9-]/g, '-');

/** The name of a generated Secret (and of its ExternalSecret and generator); the generation is part of it. */
export const generatedSecretName = (base: string, id: string, generation: number) => `${base}-${dashed(id)}-g${generation}`;

/** The blueprint's rotation marker for a generation: none at 0, so generation 0 writes what sops mode writes. */
export const generationMarker = (generation: number): string | undefined => (generation > 0 ? `generation-${generation}` : undefined);

interface Rotatable {
  id: string;
  slug: string;
  what: string;
  shape: PasswordShape;
}

function rotatables(apps: ReadonlyArray<OidcApp>, agents: ReadonlyArray<AgentApp>): Rotatable[] {
  return [
    ...apps.flatMap((a) =>
      a.clientSecret?.mode === 'managed'
        ? [{ id: a.clientSecret.authentikKey, slug: a.slug, what: `${a.name} OIDC client secret`, shape: shape(64) }]
        : [],
    ),
    // Lowercase letters and digits, as long as the sops runbook's hex: base64("<account>:<password>") has no padding.
    ...agents.map((a) => ({
      id: a.tokenSecret.authentikKey,
      slug: a.slug,
      what: `app password of ${a.serviceAccount}`,
      shape: shape(2 * appPasswordHexBytes(a.serviceAccount), true),
    })),
  ];
}

/** Authentik's own values: generated once (none of them can be rotated by a new value alone). */
function coreValues(c: ClusterConfig): SecretValue[] {
  const s = c.authentik.secret;
  const pg = c.authentik.postgresqlSecret;
  const value = (id: string, secret: string, what: string, length: number): SecretValue => ({
    id,
    what,
    generation: 0,
    place: { secret, key: id },
    sopsPlace: { secret, key: id },
    ...(c.secrets.adoptSops ? {} : { generator: { name: generatedSecretName(secret, id, 0), shape: shape(length) } }),
  });
  return [
    value(s.secretKey, s.name, "Authentik's secret key", 64),
    value(s.bootstrapPassword, s.name, 'bootstrap password of akadmin', 32),
    value(pg.key, pg.name, 'PostgreSQL password', 32),
  ];
}

function rotatedValue(c: ClusterConfig, r: Rotatable): SecretValue {
  const generation = c.secrets.generation + (c.secrets.rotate[r.slug] ?? 0);
  const base = c.authentik.secret.name;
  const sopsPlace = { secret: base, key: r.id };
  const common = { id: r.id, slug: r.slug, what: r.what, generation, sopsPlace };
  // Adoption: generation 0 is the value the SOPS Secret holds; every later one is generated.
  if (c.secrets.adoptSops && generation === 0) return { ...common, place: sopsPlace };
  const name = generatedSecretName(base, r.id, generation);
  return { ...common, place: { secret: name, key: r.id }, generator: { name, shape: r.shape } };
}

/** The generated Secrets: one per rotatable value (its own lifetime), Authentik's own grouped by Secret. */
function generatedSecrets(values: ReadonlyArray<SecretValue>): GeneratedSecret[] {
  const out: GeneratedSecret[] = [];
  for (const v of values.filter((x) => x.generator)) {
    const same = out.find((g) => g.name === v.place.secret);
    if (same) same.values.push(v);
    else out.push({ name: v.place.secret, values: [v] });
  }
  return out;
}

function consumerCopies(apps: ReadonlyArray<OidcApp>, values: ReadonlyArray<SecretValue>): ConsumerCopy[] {
  const out: ConsumerCopy[] = [];
  for (const a of apps) {
    if (a.clientSecret?.mode !== 'managed') continue;
    const c = a.clientSecret.consumer;
    const value = values.find((v) => v.id === a.clientSecret!.authentikKey)!;
    // Adopted (no generator): the consumer keeps the copy SOPS gave it, the same value; ESO takes
    // the copy over at the first rotation, so no Role ever reads Authentik's shared Secret.
    if (!value.generator) continue;
    const from = value.place;
    const entry = { key: c.key, from, slug: a.slug };
    // ArgoCD resolves a secret reference only in a Secret labelled part-of: argocd.
    const labels: Record<string, string> = a.consumer === 'argocd' ? { 'app.kubernetes.io/part-of': 'argocd' } : {};
    const same = out.find((o) => o.namespace === c.namespace && o.name === c.name);
    if (same) {
      same.data.push(entry);
      Object.assign(same.labels, labels);
    } else out.push({ namespace: c.namespace, name: c.name, labels, data: [entry] });
  }
  return out;
}

function storeAccess(copies: ReadonlyArray<ConsumerCopy>): SecretStoreAccess[] {
  const out: SecretStoreAccess[] = [];
  for (const copy of copies) {
    let s = out.find((x) => x.namespace === copy.namespace);
    if (!s) {
      s = {
        namespace: copy.namespace,
        store: ESO_STORE,
        serviceAccount: ESO_SERVICE_ACCOUNT,
        role: `unified-auth-eso-${copy.namespace}`,
        secrets: [],
      };
      out.push(s);
    }
    for (const d of copy.data) if (!s.secrets.includes(d.from.secret)) s.secrets.push(d.from.secret);
  }
  for (const s of out) s.secrets.sort();
  return out;
}

export function deriveSecrets(c: ClusterConfig, apps: ReadonlyArray<OidcApp>, agents: ReadonlyArray<AgentApp>): SecretsModel {
  if (c.secrets.mode === 'sops') return { mode: 'sops' };
  const values = [...coreValues(c), ...rotatables(apps, agents).map((r) => rotatedValue(c, r))];
  const copies = consumerCopies(apps, values);
  return {
    mode: 'external-secrets',
    adopted: c.secrets.adoptSops,
    values,
    generated: generatedSecrets(values),
    copies,
    stores: storeAccess(copies),
    restartAnnotation: RESTART_ANNOTATION,
  };
}

/** The annotation value (`<slug>:<generation>`, ...) that changes exactly when one of these values gets a new generation. */
export const generationsOf = (values: ReadonlyArray<SecretValue>): string =>
  values
    .filter((v) => v.slug)
    .map((v) => `${v.slug}:${v.generation}`)
    .join(',');

/** The apps with the blueprint's rotation marker set from their value's generation (external-secrets mode). */
export function withGenerationMarkers(secrets: SecretsModel, apps: OidcApp[], agents: AgentApp[]): { apps: OidcApp[]; agents: AgentApp[] } {
  if (secrets.mode === 'sops') return { apps, agents };
  const marker = (id: string) => generationMarker(secrets.values.find((v) => v.id === id)?.generation ?? 0);
  const withRotation = <T extends { rotation?: string }>(s: T, id: string): T => {
    const { rotation: _old, ...rest } = s;
    const m = marker(id);
    return (m ? { ...rest, rotation: m } : rest) as T;
  };
  return {
    apps: apps.map((a) => (a.clientSecret ? { ...a, clientSecret: withRotation(a.clientSecret, a.clientSecret.authentikKey) } : a)),
    agents: agents.map((a) => ({ ...a, tokenSecret: withRotation(a.tokenSecret, a.tokenSecret.authentikKey) })),
  };
}

/** Where Authentik's pods read the value sops mode keeps at `sops`: the same place in sops mode. */
export function placeOf(secrets: SecretsModel, sops: SecretPlace): SecretPlace {
  if (secrets.mode === 'sops') return sops;
  return secrets.values.find((v) => v.sopsPlace.secret === sops.secret && v.sopsPlace.key === sops.key)?.place ?? sops;
}
