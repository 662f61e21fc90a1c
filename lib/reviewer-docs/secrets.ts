// dist/docs/SECRETS.md: the secret contract. Every Secret the layer reads (all created by hand from
// SOPS, never synced by the GitOps engine, docs/field-traps.md#out-of-band-secrets), its keys, who reads each key and how, and which
// values must be equal across Secrets. The inventory is also what manual-operations.yaml lists.
import { confidentialApps, managedSecretApps, type AuthModel, type ConfidentialApp } from '../model/derive';
import { authentikEnv } from '../consumers/authentik-values';
import { argocdSecretRef } from '../consumers/argocd-values';
import { toYaml } from '../base/file-text';
import { code, fence, markdownFile, table, mdText } from './markdown';
import { OUTPUT } from '../base/paths';
import type { SecretsModel } from '../model/types';
import { engineWords } from './engine-words';

export interface SecretKeyDoc {
  key: string;
  /** What the value is. */
  holds: string;
  /** Who reads this key, and through what. */
  readBy: string;
}

export interface SecretDoc {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The app that reads it (manual-operations `app`). */
  app: string;
  /** How the reader finds the Secret, and what it requires of it. */
  readers: string[];
  keys: SecretKeyDoc[];
  /** The SOPS-encrypted manifest in the operator's repository. */
  sopsFile: string;
  applyCommand: string;
}

/** A value that lives in more than one place; every place must hold the same bytes. */
export interface EqualValue {
  what: string;
  places: string[];
}

const ref = (ns: string, name: string, key: string) => `${ns}/${name} key ${key}`;

function consumerReader(app: ConfidentialApp): string {
  const c = app.clientSecret.consumer;
  switch (app.consumer) {
    case 'argocd':
      return `ArgoCD: oidc.config clientSecret ${code(argocdSecretRef(app.clientSecret))} (a whole-value reference); ArgoCD resolves it only in a Secret labelled app.kubernetes.io/part-of: argocd`;
    case 'grafana':
      return `Grafana: envFromSecret ${c.name} turns each key into an env var of the same name, read by grafana.ini as ${code(`$__env{${c.key}}`)}; the key must be exactly ${c.key}`;
    case 'infisical':
      return `nobody in the cluster: Infisical has no Helm value for OIDC; the value is entered in its admin UI (manual operation). This Secret keeps the operator's copy`;
    default:
      return `${app.name}: its own configuration reads key ${c.key} of this Secret`;
  }
}

/** Every Secret, in a stable order: Authentik's first, then each consumer's in config order. */
export function secretInventory(m: AuthModel): SecretDoc[] {
  const s = m.authentik.secret;
  const pg = m.authentik.postgresqlSecret;
  // Which pods get which key of which Secret, from the rendered env lists themselves.
  const envOf = new Map<string, string[]>();
  for (const { pods, env } of authentikEnv(m)) {
    const k = 'valueFrom' in env ? env.valueFrom.secretKeyRef : undefined;
    if (k) envOf.set(`${k.name}/${k.key}`, [...(envOf.get(`${k.name}/${k.key}`) ?? []), `${pods}, env ${env.name}`]);
  }
  const env = (secret: string, key: string) => (envOf.get(`${secret}/${key}`) ?? ['nobody']).join('; ');
  const ak = (key: string) => env(s.name, key);
  const authentik: SecretKeyDoc[] = [
    { key: s.secretKey, holds: "Authentik's secret key (signs sessions and tokens)", readBy: ak(s.secretKey) },
    {
      key: s.bootstrapPassword,
      holds: 'first password of akadmin (break-glass account)',
      readBy: `${ak(s.bootstrapPassword)}, applied by the system bootstrap blueprint`,
    },
    // secretMode existingSecret: Authentik keeps the secret it generated; no key here.
    ...managedSecretApps(m).map((a) => ({
      key: a.clientSecret.authentikKey,
      holds: `${a.name} OIDC client secret`,
      readBy: `${ak(a.clientSecret.authentikKey)}, into the provider's client_secret by the blueprint (!Env)`,
    })),
    ...m.agents.map((a) => ({
      key: a.tokenSecret.authentikKey,
      holds: `app password of service account ${a.serviceAccount} (${a.clientId} client-credentials grant)`,
      readBy: `${ak(a.tokenSecret.authentikKey)}, into the app-password token by the blueprint (!Env)`,
    })),
  ];

  const out: SecretDoc[] = [];
  const add = (d: Omit<SecretDoc, 'sopsFile' | 'applyCommand'>) => {
    // Two consumers may share one Secret: one entry, keys and readers merged.
    const same = out.find((o) => o.namespace === d.namespace && o.name === d.name);
    if (same) {
      same.keys.push(...d.keys.filter((k) => !same.keys.some((x) => x.key === k.key)));
      same.readers.push(...d.readers.filter((r) => !same.readers.includes(r)));
      Object.assign(same.labels, d.labels);
      return;
    }
    const sopsFile = `secrets/${d.namespace}-${d.name}.sops.yaml`;
    out.push({ ...d, sopsFile, applyCommand: `sops --decrypt ${sopsFile} | kubectl apply -f -` });
  };
  add({
    namespace: m.authentik.namespace,
    name: s.name,
    labels: {},
    app: 'authentik',
    readers: ['Authentik: secretKeyRef entries in global.env (server and worker) and worker.env (worker only) of the Authentik chart'],
    keys: authentik,
  });
  add({
    namespace: m.authentik.namespace,
    name: pg.name,
    labels: {},
    app: 'authentik',
    readers: [
      'the bundled PostgreSQL, which mounts this whole Secret (postgresql.auth.existingSecret), so it holds nothing else',
      'Authentik server and worker: a secretKeyRef in global.env',
    ],
    keys: [{ key: pg.key, holds: 'PostgreSQL password', readBy: `PostgreSQL (mounted file); ${env(pg.name, pg.key)}` }],
  });
  for (const a of confidentialApps(m)) {
    const c = a.clientSecret.consumer;
    add({
      namespace: c.namespace,
      name: c.name,
      labels: a.consumer === 'argocd' ? { 'app.kubernetes.io/part-of': 'argocd' } : {},
      app: a.slug,
      readers: [consumerReader(a)],
      keys: [
        {
          key: c.key,
          holds: `${a.name} OIDC client secret${a.clientSecret.mode === 'existingSecret' ? ', copied from Authentik (it generated it)' : ''}`,
          readBy: a.consumer === 'infisical' ? 'the operator (pasted into the admin UI)' : a.name,
        },
      ],
    });
  }
  return out;
}

/** Where Authentik keeps a client secret it generated (secretMode existingSecret). */
const generatedSecretPlace = (a: ConfidentialApp) =>
  `client_secret of Authentik's OAuth2 provider "${mdText(a.providerName)}" (generated by Authentik)`;

/**
 * secretMode existingSecret: the copy step. The blueprint never sets client_secret, so Authentik
 * generates one when it creates the provider and keeps it on every later apply (an update of an
 * existing object is partial: fields the blueprint omits are left as they are).
 */
function copySteps(m: AuthModel, inv: SecretDoc[]): string[] {
  const apps = confidentialApps(m).filter((a) => a.clientSecret.mode === 'existingSecret');
  if (!apps.length) return [];
  const lines = [
    '',
    '## Client secrets Authentik generated (secretMode existingSecret)',
    '',
    'For these clients the blueprint sets no `client_secret`: Authentik generated it when it created the',
    'provider and keeps it (a later apply updates only the fields the blueprint names). Copy it into the',
    "consumer's Secret after the provider exists, and again after you change it in Authentik:",
    '',
    '1. Read it, in the admin interface: **Applications → Providers →** the provider below **→ Edit**, field',
    '   **Client Secret** (under Protocol settings); or through the API with a token of an admin:',
    `   ${code(`curl -s -H "Authorization: Bearer $AUTHENTIK_TOKEN" '${m.authentik.url}/api/v3/providers/oauth2/?client_id=<client id>' | jq -r '.results[0].client_secret'`)}.`,
    '2. Put it under the key below in the SOPS file of the consumer Secret (`sops <file>`), then apply it.',
    ...(apps.some((a) => a.consumer === 'grafana') ? ['3. Restart Grafana: it reads the value only when it starts.'] : []),
    '',
    ...table(
      ['Client', 'Provider', 'Client id', 'Put it in', 'SOPS file'],
      apps.map((a) => {
        const c = a.clientSecret.consumer;
        const d = inv.find((x) => x.namespace === c.namespace && x.name === c.name);
        return [mdText(a.name), mdText(a.providerName), code(a.clientId), ref(c.namespace, c.name, c.key), code(d?.sopsFile ?? '')];
      }),
    ),
  ];
  return lines;
}

export function equalValues(m: AuthModel): EqualValue[] {
  const s = m.authentik.secret;
  const ak = (key: string) => ref(m.authentik.namespace, s.name, key);
  return [
    ...confidentialApps(m).map((a) => {
      const c = a.clientSecret.consumer;
      return {
        what: `${mdText(a.name)} OIDC client secret`,
        places: [
          a.clientSecret.mode === 'existingSecret' ? generatedSecretPlace(a) : ak(a.clientSecret.authentikKey),
          ref(c.namespace, c.name, c.key),
          ...(a.consumer === 'infisical' ? [`${mdText(a.name)} admin UI (OIDC client secret)`] : []),
        ],
      };
    }),
    ...m.agents.map((a) => ({
      what: `${mdText(a.name)}: app password P of ${a.serviceAccount}`,
      places: [ak(a.tokenSecret.authentikKey), `env var ${a.kubeconfigEnvVar} of the agent = base64("${a.serviceAccount}:P")`],
    })),
  ];
}

/** The manifest the operator encrypts: placeholders only, never a value. */
function skeleton(d: SecretDoc) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: d.name, namespace: d.namespace, ...(Object.keys(d.labels).length ? { labels: d.labels } : {}) },
    type: 'Opaque',
    stringData: Object.fromEntries(d.keys.map((k) => [k.key, `<${k.holds}>`])),
  };
}

export function secretsMarkdown(m: AuthModel): string[] {
  if (m.secrets.mode === 'external-secrets') return generatedSecretsMarkdown(m, m.secrets);
  const inv = secretInventory(m);
  const w = engineWords(m);
  const lines = [
    `# Secrets of ${m.clusterName} (${m.domain})`,
    '',
    `Every Secret the auth layer reads. None is in git in plain text and none is ${w.applied} by ${w.name}: each is`,
    `a SOPS-encrypted manifest, applied by hand before the first ${w.sync} (see manual-operations.yaml).`,
    'Generate random values with e.g. `openssl rand -hex 32`.',
    '',
    ...table(
      ['Namespace', 'Secret', 'Keys', 'Read by', 'Create'],
      inv.map((d) => [d.namespace, d.name, d.keys.map((k) => k.key).join(', '), d.readers.join('; '), code(d.applyCommand)]),
    ),
    '',
    '## Values that must be equal',
    '',
    `The same value is stored in more than one place; a mismatch fails at login, not at ${w.sync}.`,
    '',
    ...table(
      ['Value', 'Must be identical in'],
      equalValues(m).map((e) => [e.what, e.places.join(' = ')]),
    ),
    '',
    `PostgreSQL's password has a Secret of its own (${code(`${m.authentik.namespace}/${m.authentik.postgresqlSecret.name}`)}): the bundled PostgreSQL`,
    'mounts its whole Secret, so it must hold nothing else. When upgrading an install that kept the password in',
    `${code(m.authentik.secret.name)}, put the same value under ${code(m.authentik.postgresqlSecret.key)} before ${w.syncing}: the database keeps the password it was created with.`,
  ];
  lines.push(...copySteps(m, inv));
  if (m.agents.length) {
    lines.push(
      '',
      'An agent sends base64("<service account>:<app password>") as its client secret (client-credentials grant);',
      'Authentik then issues the token for that service account, which the agent blueprint puts in the agent group.',
      'Generate each app password with the command given for it: its length makes that base64 end without `=`, so',
      'the secret is only letters and digits and survives the percent-escaping kubelogin applies in the HTTP Basic header.',
      ...m.agents.map(
        (a) =>
          `For ${a.name}: ${code(`APP_PASSWORD="$(${a.appPasswordCommand})"`)}, then ${code(`export ${a.kubeconfigEnvVar}="$(printf '%s:%s' '${a.serviceAccount}' "$APP_PASSWORD" | base64 | tr -d '\\n')"`)}`,
      ),
    );
  }
  for (const d of inv) {
    lines.push(
      '',
      `## ${d.namespace}/${d.name}`,
      '',
      ...d.readers.map((r) => `- Read by ${r}.`),
      ...(Object.keys(d.labels).length
        ? [
            `- Labels (required): ${Object.entries(d.labels)
              .map(([k, v]) => code(`${k}: ${v}`))
              .join(', ')}.`,
          ]
        : []),
      '',
      ...table(
        ['Key', 'Holds', 'Read by'],
        d.keys.map((k) => [code(k.key), k.holds, k.readBy]),
      ),
      '',
      `Manifest to encrypt as ${code(d.sopsFile)} (${code(`sops --encrypt --in-place ${d.sopsFile}`)}):`,
      '',
      ...fence('yaml', toYaml(skeleton(d))),
      '',
      `Apply: ${code(d.applyCommand)}`,
    );
  }
  return lines;
}

export const secretsDoc = (m: AuthModel) => markdownFile(OUTPUT.secretsDoc, secretsMarkdown(m));

type EsoSecrets = Extract<SecretsModel, { mode: 'external-secrets' }>;

/** SECRETS.md in external-secrets mode: where each value is generated, who gets a copy, how to rotate. */
function generatedSecretsMarkdown(m: AuthModel, sec: EsoSecrets): string[] {
  const ns = m.authentik.namespace;
  const source = (v: EsoSecrets['values'][number]) =>
    v.generator
      ? `generated once by Password ${code(v.generator.name)} (${v.generator.shape.length} characters)`
      : "adopted: the SOPS Secret's value, read in place";
  return [
    `# Secrets of ${m.clusterName} (${m.domain})`,
    '',
    'secrets.mode external-secrets: no Secret is created by hand. The External Secrets Operator (v0.16 or later)',
    `generates each value once in the ${code(ns)} namespace and copies the client secrets to their consumers;`,
    `the objects are in ${code(`${OUTPUT.secretsDir}/`)}, synced by the authentik-secrets Application before the others (sync wave -1).`,
    'No value is in git, in this file or in any other file of the output.',
    '',
    '## Values in the Authentik namespace',
    '',
    ...table(
      ['Value', 'Secret', 'Key', 'Generation', 'Source'],
      sec.values.map((v) => [v.what, code(v.place.secret), code(v.place.key), String(v.generation), source(v)]),
    ),
    '',
    '## Consumer copies',
    '',
    ...(sec.copies.length
      ? table(
          ['Namespace', 'Secret', 'Key', 'Copied from', 'Store'],
          sec.copies.flatMap((c) =>
            c.data.map((d) => [
              c.namespace,
              code(c.name),
              code(d.key),
              `${ns}/${d.from.secret} key ${d.from.key}`,
              `SecretStore ${c.namespace}/authentik`,
            ]),
          ),
        )
      : ['None: every client secret is still adopted (generation 0); the consumers keep the copies SOPS gave them.']),
    '',
    `Each store reads ${code(ns)} as its own ServiceAccount, which a Role there allows only ${code('get')} on the Secrets listed for it:`,
    '',
    ...table(
      ['Namespace', 'Role in ' + ns, 'May get'],
      sec.stores.map((s) => [s.namespace, code(s.role), s.secrets.map(code).join(', ')]),
    ),
    '',
    '## Rotating',
    '',
    'Raise `secrets.rotate.<service slug>` (or `secrets.generation` for all) by one, review `npm run plan`, synth, commit.',
    'The new generation is a new Secret with a new value; the consumer copy follows it, the pods that read it restart',
    "(the plan lists them), the blueprint's rotation marker changes so the worker applies the new value, and the old",
    "generation is pruned. Authentik's secret key, bootstrap password and PostgreSQL password are never rotated this way.",
    ...(m.agents.length ? [''] : []),
    ...m.agents.map(
      (a) =>
        `- ${a.name}: its client secret is base64("${a.serviceAccount}:<app password>"); hand it over with the manual operation agent-credentials-${a.slug}, after each rotation too.`,
    ),
  ];
}
