// A custom resource as a cdk8s object, typed by its kubernetes-models class (generated from the
// CRD's own schema): the model is validated, then its apiVersion, kind, metadata and spec become
// the ApiObject's, field for field. No cast: `object` keeps the typed model for callers.
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** What a kubernetes-models class (Application, IngressRoute, Middleware, HTTPRoute, ...) provides. */
export interface CrdModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ApiObjectMetadata;
  readonly spec?: unknown;
  /** Throws on anything the CRD's schema rejects. */
  validate(): void;
}

export class CrdObject<T extends CrdModel> extends ApiObject {
  /** The typed model this object was built from, validated against the CRD schema. */
  readonly object: T;

  constructor(scope: Construct, id: string, object: T) {
    object.validate();
    // The model's constructor already dropped undefined values.
    const { apiVersion, kind, metadata, spec } = object;
    super(scope, id, { apiVersion, kind, metadata: { ...metadata }, spec });
    this.object = object;
  }
}
