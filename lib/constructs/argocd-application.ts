// An ArgoCD Application as a cdk8s object, typed by @kubernetes-models/argo-cd (the Application
// CRD's own schema), through CrdObject: validated, then passed through field for field.
import type { Construct } from 'constructs';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { CrdObject } from './crd-object';

export type ApplicationSpec = Application['spec'];
export type ApplicationSource = NonNullable<ApplicationSpec['sources']>[number];

export interface ArgoCdApplicationProps {
  /**
   * metadata.name and metadata.namespace (ArgoCD's namespace), and `finalizers`
   * (`resources-finalizer.argocd.argoproj.io` to delete what the Application synced along with it;
   * default none).
   */
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly finalizers?: string[];
    /** e.g. `argocd.argoproj.io/sync-wave`, to order Applications within their app-of-apps. */
    readonly annotations?: Record<string, string>;
  };
  /** The Application's spec, typed by the Application CRD (project, source(s), destination, syncPolicy). */
  readonly spec: ApplicationSpec;
}

export class ArgoCdApplication extends CrdObject<Application> {
  /** Throws on anything the CRD schema rejects (a typo'd sync option field, a missing project). */
  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id, new Application({ metadata: props.metadata, spec: props.spec }));
  }

  /** The typed Application this object was built from. */
  get application(): Application {
    return this.object;
  }
}
