// An ArgoCD Application as a cdk8s object, typed by @kubernetes-models/argo-cd (the Application
// CRD's own schema): the model is validated, then its apiVersion, kind, metadata and spec become
// the ApiObject's, field for field.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';

export type ApplicationSpec = Application['spec'];
export type ApplicationSource = NonNullable<ApplicationSpec['sources']>[number];

export interface ArgoCdApplicationProps {
  /** metadata.name and metadata.namespace (ArgoCD's namespace), and finalizers if any. */
  readonly metadata: { name: string; namespace: string; finalizers?: string[] };
  readonly spec: ApplicationSpec;
}

export class ArgoCdApplication extends ApiObject {
  /** The typed Application this object was built from (validated against the CRD schema). */
  readonly application: Application;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    const application = new Application({ metadata: props.metadata, spec: props.spec });
    // Throws on anything the CRD schema rejects (a typo'd sync option field, a missing project).
    application.validate();
    // The model's own typed fields (its constructor already dropped undefined values).
    const { apiVersion, kind, metadata, spec } = application;
    super(scope, id, { apiVersion, kind, metadata: { ...metadata }, spec });
    this.application = application;
  }
}
