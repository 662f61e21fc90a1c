// dist/secrets/ (secrets.mode external-secrets, docs/secrets.md): the External Secrets Operator
// objects that make every Secret of the layer. In the Authentik namespace, a Password generator and
// an ExternalSecret per generated Secret; in each consumer namespace, a ServiceAccount, a SecretStore
// of the Kubernetes provider reading the Authentik namespace and an ExternalSecret per copy; in the
// Authentik namespace again, a Role that may only get the Secrets those copies read, bound to that
// ServiceAccount alone. Every object is validated against its CRD or API schema before it is emitted.
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Password } from '@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ConsumerCopy, GeneratedSecret, SecretStoreAccess } from '../model/types';
import { CrdObject } from './crd-object';
import { SYNC_WAVE } from '../upstream/conventions';

/** Labels the layer's ESO objects carry; `generation` is what the state records (docs/secrets.md). */
export const SECRET_ID_LABEL = 'unified-auth/value-id';
export const GENERATION_ANNOTATION = 'unified-auth/generation';

/**
 * The waves inside the secrets Application: access and generators first, then the generated
 * Secrets, then the copies that read them (a copy of a Secret not made yet only retries, but
 * waiting for it keeps the first sync free of errors).
 */
export const WAVES = { access: '-2', generated: '-1', copies: '0' } as const;

export interface ExternalSecretsProps {
  /** The Authentik namespace: generated Secrets, and the Roles the stores read it with. */
  readonly namespace: string;
  /** The Secrets to generate there (`AuthModel.secrets.generated`). */
  readonly generated: ReadonlyArray<GeneratedSecret>;
  /** The consumers' copies (`AuthModel.secrets.copies`). */
  readonly copies: ReadonlyArray<ConsumerCopy>;
  /** One store per consumer namespace (`AuthModel.secrets.stores`). */
  readonly stores: ReadonlyArray<SecretStoreAccess>;
}

const GENERATOR_API = 'generators.external-secrets.io/v1alpha1';
const wave = (w: string) => ({ [SYNC_WAVE]: w });

/** A built-in object from its kubernetes-models class, validated, passed through whole. */
class ModelObject extends ApiObject {
  constructor(scope: Construct, id: string, object: { validate(): void; toJSON(): unknown }) {
    object.validate();
    // The model's toJSON is the object as the API takes it (undefined values dropped).
    const { apiVersion, kind, metadata, ...rest } = object.toJSON() as { apiVersion: string; kind: string; metadata: ApiObjectMetadata };
    super(scope, id, { apiVersion, kind, metadata: { ...metadata }, ...rest });
  }
}

export class ExternalSecrets extends Construct {
  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    for (const g of props.generated) this.generate(props.namespace, g);
    for (const s of props.stores) this.store(props.namespace, s);
    for (const c of props.copies) this.copy(c, props.stores.find((s) => s.namespace === c.namespace)!.store);
  }

  /**
   * One ExternalSecret per Secret, each value from its own Password generator. refreshPolicy
   * CreatedOnce: ESO's shouldRefresh (pkg/controllers/externalsecret/externalsecret_controller.go)
   * generates only while the ExternalSecret has never synced, so neither time nor a spec change
   * yields a new value; a rotation is a new generation, a new name (test/support/eso-harness.ts).
   */
  private generate(namespace: string, g: GeneratedSecret) {
    for (const v of g.values) {
      const gen = v.generator!;
      new CrdObject(
        this,
        `password-${gen.name}`,
        new Password({
          metadata: { name: gen.name, namespace, annotations: wave(WAVES.access) },
          spec: { length: gen.shape.length, noUpper: gen.shape.noUpper, allowRepeat: true, symbols: 0 },
        }),
      );
    }
    const [first] = g.values;
    new CrdObject(
      this,
      `externalsecret-${namespace}-${g.name}`,
      new ExternalSecret({
        metadata: {
          name: g.name,
          namespace,
          labels: { [SECRET_ID_LABEL]: first.slug ? first.id : 'authentik' },
          annotations: { ...wave(WAVES.generated), [GENERATION_ANNOTATION]: String(first.generation) },
        },
        spec: {
          refreshPolicy: 'CreatedOnce',
          target: { name: g.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
          // The Password generator's one key is `password`; each becomes the key Authentik reads.
          dataFrom: g.values.map((v) => ({
            sourceRef: { generatorRef: { apiVersion: GENERATOR_API, kind: 'Password' as const, name: v.generator!.name } },
            rewrite: [{ regexp: { source: '^password$', target: v.place.key } }],
          })),
        },
      }),
    );
  }

  /** The consumer namespace's reader: its own ServiceAccount, allowed to get only the named Secrets. */
  private store(authentikNamespace: string, s: SecretStoreAccess) {
    const id = (kind: string) => `${kind}-${s.namespace}`;
    new ModelObject(
      this,
      id('serviceaccount'),
      new ServiceAccount({ metadata: { name: s.serviceAccount, namespace: s.namespace, annotations: wave(WAVES.access) } }),
    );
    new ModelObject(
      this,
      id('role'),
      new Role({
        metadata: { name: s.role, namespace: authentikNamespace, annotations: wave(WAVES.access) },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: s.secrets }],
      }),
    );
    new ModelObject(
      this,
      id('rolebinding'),
      new RoleBinding({
        metadata: { name: s.role, namespace: authentikNamespace, annotations: wave(WAVES.access) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: s.role },
        subjects: [{ kind: 'ServiceAccount', name: s.serviceAccount, namespace: s.namespace }],
      }),
    );
    // The provider's Validate asks a SelfSubjectRulesReview for get on secrets: resourceNames suffice.
    new CrdObject(
      this,
      id('secretstore'),
      new SecretStore({
        metadata: { name: s.store, namespace: s.namespace, annotations: wave(WAVES.access) },
        spec: {
          provider: {
            kubernetes: {
              remoteNamespace: authentikNamespace,
              server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
              auth: { serviceAccount: { name: s.serviceAccount } },
            },
          },
        },
      }),
    );
  }

  /**
   * The copy follows its source: a new generation changes the spec (the source's name), and ESO
   * refreshes on a spec change; the hourly refresh brings back a copy edited by hand.
   */
  private copy(c: ConsumerCopy, store: string) {
    new CrdObject(
      this,
      `externalsecret-${c.namespace}-${c.name}`,
      new ExternalSecret({
        metadata: { name: c.name, namespace: c.namespace, annotations: wave(WAVES.copies) },
        spec: {
          refreshPolicy: 'Periodic',
          refreshInterval: '1h',
          secretStoreRef: { kind: 'SecretStore', name: store },
          target: {
            name: c.name,
            creationPolicy: 'Owner',
            deletionPolicy: 'Retain',
            // A template with metadata only keeps the fetched data as it is (ESO's ApplyTemplate,
            // pkg/controllers/externalsecret/externalsecret_controller_template.go: no data template).
            ...(Object.keys(c.labels).length ? { template: { metadata: { labels: c.labels } } } : {}),
          },
          data: c.data.map((d) => ({ secretKey: d.key, remoteRef: { key: d.from.secret, property: d.from.key } })),
        },
      }),
    );
  }
}
