// What an output recorded of secrets.mode external-secrets (docs/secrets.md), and the guard that
// compares a new render with it: a generation never goes back (the old Secret was pruned: its
// value is gone, and a lower number would name a Secret ESO generates anew), and a mode switch
// never drops a Secret the cluster runs on.
import type { Tree } from '../readback/tree';
import { loadYamlShared } from '../readback/yaml';
import { isRecord } from '../base/records';
import { OUTPUT } from '../base/paths';
import type { AuthModel } from '../model/types';
import { ADOPTED_ANNOTATION } from '../model/derivers/secrets';

export interface RecordedSecrets {
  mode: 'external-secrets';
  /** Authentik's own values read from the SOPS Secret in place (secrets.adoptSops). */
  adopted: boolean;
  /** Generation of each rotatable value, by its key in Authentik's Secret (0 for one adopted in place). */
  generations: Record<string, number>;
}

const VALUE_ID = 'unified-auth/value-id';
const GENERATION = 'unified-auth/generation';
/** The Application that syncs secrets/: it exists exactly in external-secrets mode. */
const SECRETS_APP = `${OUTPUT.appsDir}/application-authentik-secrets.yaml`;

/** The record of an output tree; undefined for a sops-mode output. */
export function recordedSecretsIn(tree: Tree): RecordedSecrets | undefined {
  const app = tree.get(SECRETS_APP);
  if (app === undefined) return undefined;
  const generations: Record<string, number> = {};
  for (const d of loadYamlShared(app, undefined, true) as unknown[]) {
    const meta = isRecord(d) && isRecord(d.metadata) && isRecord(d.metadata.annotations) ? d.metadata.annotations : {};
    const adopted = meta[ADOPTED_ANNOTATION];
    if (typeof adopted === 'string') for (const id of adopted.split(',')) generations[id] = 0;
  }
  let ownGenerated = false;
  for (const [file, text] of tree) {
    if (!file.startsWith(`${OUTPUT.secretsDir}/externalsecret-`)) continue;
    for (const d of loadYamlShared(text, undefined, true) as unknown[]) {
      const meta = isRecord(d) && isRecord(d.metadata) ? d.metadata : undefined;
      const id = meta && isRecord(meta.labels) ? meta.labels[VALUE_ID] : undefined;
      const gen = meta && isRecord(meta.annotations) ? Number(meta.annotations[GENERATION]) : NaN;
      if (id === 'authentik') ownGenerated = true;
      else if (typeof id === 'string' && Number.isInteger(gen)) generations[id] = gen;
    }
  }
  return { mode: 'external-secrets', adopted: !ownGenerated, generations };
}

type Rule = (was: RecordedSecrets | undefined, m: AuthModel, hadOutput: boolean) => string[];

const RULES: ReadonlyArray<Rule> = [
  // ESO -> sops: ArgoCD prunes the ExternalSecrets, and Kubernetes deletes the Secrets they own.
  (was, m) =>
    was && m.secrets.mode === 'sops'
      ? [
          'secrets.mode: the previous output generated its Secrets with ESO; switching to sops prunes the ExternalSecrets and with them the Secrets Authentik and its consumers read. Keep external-secrets (docs/secrets.md#leaving-external-secrets)',
        ]
      : [],
  // sops -> ESO on a running cluster: ESO would take over authentik-secrets and write new values
  // (its applyOwnership takes an unowned Secret), and PostgreSQL keeps its old password.
  (was, m, hadOutput) =>
    !was && hadOutput && m.secrets.mode === 'external-secrets' && !m.secrets.adopted
      ? [
          `secrets.adoptSops: the previous output ran in sops mode, so ${m.authentik.secret.name} and ${m.authentik.postgresqlSecret.name} exist; generating them anew would replace values Authentik and PostgreSQL already use. Set secrets.adoptSops: true (docs/secrets.md#adoption)`,
        ]
      : [],
  (was, m) =>
    was && !was.adopted && m.secrets.mode === 'external-secrets' && m.secrets.adopted
      ? [
          `secrets.adoptSops: the previous output generated ${m.authentik.secret.name} with ESO; there is no SOPS Secret to adopt. Remove adoptSops`,
        ]
      : [],
  // Dropping adoptSops would point generators at the SOPS Secrets ESO then takes over and rewrites.
  (was, m) =>
    was?.adopted && m.secrets.mode === 'external-secrets' && !m.secrets.adopted
      ? [
          `secrets.adoptSops: the previous output read ${m.authentik.secret.name} and ${m.authentik.postgresqlSecret.name} from SOPS in place; dropping adoptSops would let ESO take them over and write new values. Keep adoptSops: true`,
        ]
      : [],
  // Adopted in place, a value the SOPS Secret never held (a service added since) would be missing.
  (was, m) => {
    if (!was?.adopted || m.secrets.mode !== 'external-secrets') return [];
    return m.secrets.values.flatMap((v) =>
      v.slug && !v.generator && was.generations[v.id] === undefined
        ? [
            `secrets.rotate.${v.slug}: ${v.id} is new since the SOPS Secrets were adopted, so ${v.sopsPlace.secret} has no such key; set secrets.rotate.${v.slug}: 1 to generate it`,
          ]
        : [],
    );
  },
  (was, m) => {
    if (!was || m.secrets.mode !== 'external-secrets') return [];
    return m.secrets.values.flatMap((v) => {
      const before = was.generations[v.id];
      return v.slug && before !== undefined && v.generation < before
        ? [
            `secrets.rotate.${v.slug}: the generation of ${v.id} would go back from ${before} to ${v.generation}; generations only go up (raise it to ${before + 1} to rotate again)`,
          ]
        : [];
    });
  },
];

/** Findings against the baseline's record; `hadOutput`: the baseline is a previous output of this cluster. */
export const checkSecretsMode = (was: RecordedSecrets | undefined, m: AuthModel, hadOutput: boolean): string[] =>
  RULES.flatMap((r) => r(was, m, hadOutput));
