// The package entry for other cdk8s apps: the constructs, the config schema and its validation,
// and the model and file types they expose. See examples/existing-app/ and
// docs/construct-package.md.
export { UnifiedAuth, manifests, type UnifiedAuthProps, type Manifest } from './constructs/unified-auth';
export { AuthApplications, type AuthApplicationsProps } from './constructs/apps';
export { AuthentikExtras, type AuthentikExtrasProps } from './constructs/authentik-extras';
export { AuthEdge, type AuthEdgeProps } from './constructs/edge';
export { ArgoCdApplication, type ArgoCdApplicationProps } from './constructs/argocd-application';
export { CrdObject, type CrdModel } from './constructs/crd-object';
export { BlueprintConfigMap, type BlueprintConfigMapProps } from './constructs/blueprint-configmap';
export { AuthentikLoadBalancer, type AuthentikLoadBalancerProps } from './constructs/authentik-load-balancer';
export { GroupClusterRoleBinding, type GroupClusterRoleBindingProps } from './constructs/group-bindings';
export { ExternalSecrets, type ExternalSecretsProps } from './constructs/external-secrets';

export { parseConfig, ConfigError } from './rules/validate';
export type { ClusterConfig, ClusterConfigInput } from './config/schema';
export { derive, type AuthModel } from './model/derive';
export { buildBlueprints, type LegacyBinding } from './blueprints/build';
export { legacyBindings } from './previous/legacy-bindings';
export type { Blueprint } from './upstream/blueprint-types';
export { CheckError, findings, runChecks } from './checks';
export { render, type SynthResult } from './output/render';
export { writeAtomically } from './output/write';
export type { OutputFile } from './base/file-text';
export { OUTPUT } from './base/paths';
