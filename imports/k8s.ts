// Kubernetes L1 constructs. `cdk8s import k8s` needs the network; cdk8s-plus-28 ships the same
// generated module for Kubernetes 1.28, so re-export it (and load only it, not all of cdk8s-plus).
// Taken with require(): an `export ... from` of this CommonJS module makes the bundler copy all of
// its ~580 exports into a namespace object at start-up (docs/design.md#start-up).
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';

const k8s = require('cdk8s-plus-28/lib/imports/k8s') as typeof K8s;

export const { IntOrString, KubeClusterRoleBinding, KubeConfigMap, KubeJob, KubeNamespace, KubeService, Quantity } = k8s;
export type IntOrString = K8s.IntOrString;
export type KubeClusterRoleBinding = K8s.KubeClusterRoleBinding;
export type KubeConfigMap = K8s.KubeConfigMap;
export type KubeJob = K8s.KubeJob;
export type KubeNamespace = K8s.KubeNamespace;
export type KubeService = K8s.KubeService;
export type Quantity = K8s.Quantity;
export type PodSpec = K8s.PodSpec;
