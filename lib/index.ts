// The package entry for other cdk8s apps: the constructs, the config schema and its validation,
// and the model and file types they expose. See examples/existing-app/ and the README section
// "Using the constructs in your own cdk8s app".
export { UnifiedAuth, manifests, type UnifiedAuthProps, type Manifest } from '../charts/unified-auth';
export { AuthApplications, type AuthApplicationsProps } from '../charts/apps';
export { AuthentikExtras, type AuthentikExtrasProps } from '../charts/authentik-extras';
export { AuthEdge, type AuthEdgeProps } from '../charts/edge';
export { ArgoCdApplication, type ArgoCdApplicationProps } from '../charts/argocd-application';
export { CrdObject, type CrdModel } from '../charts/crd-object';
export { BlueprintConfigMap, type BlueprintConfigMapProps } from '../charts/blueprint-configmap';
export { AuthentikLoadBalancer, type AuthentikLoadBalancerProps } from '../charts/authentik-load-balancer';
export { GroupClusterRoleBinding, type GroupClusterRoleBindingProps } from '../charts/group-bindings';
export { ExternalSecrets, type ExternalSecretsProps } from '../charts/external-secrets';

export { parseConfig, ConfigError } from './config/validate';
export type { ClusterConfig, ClusterConfigInput } from './config/schema';
export { derive, type AuthModel } from './model/derive';
export { buildBlueprints } from './blueprints/build';
export { legacyBindings, type LegacyBinding } from './blueprints/legacy';
export type { Blueprint } from './blueprints/types';
export { CheckError, findings, runChecks } from './checks';
export { render, type SynthResult } from './synth';
export { writeAtomically } from './output';
export type { OutputFile } from './file-text';
export { OUTPUT } from './paths';
