// Config rules of secrets.mode (docs/secrets.md), as a table: each rule reads the config and the
// model derived from it and returns one line per problem, `<config path>: <what is wrong>`.
import type { ClusterConfig } from '../config/schema';
import type { AuthModel } from '../model/types';

type Rule = (c: ClusterConfig, m: AuthModel) => string[];
const ESO_ONLY = ['consumerNamespaces', 'generation', 'rotate', 'adoptSops'] as const;
const eso = (c: ClusterConfig) => c.secrets.mode === 'external-secrets';
const serviceAt = (c: ClusterConfig, slug: string) => `services[${c.services.findIndex((s) => s.slug === slug)}]`;

const RULES: ReadonlyArray<Rule> = [
  // sops mode reads none of them: a set field would look like it does something.
  (c) =>
    eso(c)
      ? []
      : ESO_ONLY.filter((k) => {
          const v = c.secrets[k];
          return Array.isArray(v) ? v.length > 0 : typeof v === 'object' ? Object.keys(v).length > 0 : !!v;
        }).map((k) => `secrets.${k}: only read with secrets.mode external-secrets; remove it, or set the mode`),
  (c) =>
    eso(c) && c.gitops.engine === 'flux'
      ? [
          'secrets.mode: external-secrets is not supported with gitops.engine flux yet (its ordering needs Kustomization dependsOn, not written); use sops',
        ]
      : [],
  // ESO cannot read a value Authentik keeps inside its database.
  (c) =>
    eso(c)
      ? c.services.flatMap((s, i) =>
          s.oidc && !s.oidc.cli && s.oidc.secretMode === 'existingSecret'
            ? [
                `services[${i}].oidc.secretMode: existingSecret keeps the client secret inside Authentik, where ESO cannot read it; use managed with secrets.mode external-secrets`,
              ]
            : [],
        )
      : [],
  (c) =>
    eso(c)
      ? c.services.flatMap((s, i) => [
          ...(s.oidc?.clientSecretRotation
            ? [
                `services[${i}].oidc.clientSecretRotation: with secrets.mode external-secrets a rotation is secrets.rotate.${s.slug}; remove the marker`,
              ]
            : []),
          ...(s.agent?.appPasswordRotation
            ? [
                `services[${i}].agent.appPasswordRotation: with secrets.mode external-secrets a rotation is secrets.rotate.${s.slug}; remove the marker`,
              ]
            : []),
        ])
      : [],
  (c, m) => {
    if (!eso(c) || m.secrets.mode !== 'external-secrets') return [];
    const rotatable = new Set(m.secrets.values.flatMap((v) => (v.slug ? [v.slug] : [])));
    return Object.keys(c.secrets.rotate)
      .filter((slug) => !rotatable.has(slug))
      .map((slug) => `secrets.rotate.${slug}: no service ${slug} with a client secret or an agent app password to rotate`);
  },
  // The grant is explicit: ESO gets read access for a namespace only when the config names it.
  (c, m) => {
    if (m.secrets.mode !== 'external-secrets') return [];
    return m.secrets.copies.flatMap((copy) =>
      c.secrets.consumerNamespaces.includes(copy.namespace)
        ? []
        : copy.data.map(
            (d) =>
              `${serviceAt(c, d.slug)}.oidc: its client secret is copied into namespace ${copy.namespace}, for which secrets.consumerNamespaces grants ESO no Role; add ${copy.namespace} there`,
          ),
    );
  },
];

export const secretsModeProblems = (c: ClusterConfig, m: AuthModel): string[] => RULES.flatMap((r) => r(c, m));
