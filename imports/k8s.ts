// Kubernetes L1 constructs. `cdk8s import k8s` needs the network; cdk8s-plus-28 ships the same
// generated module for Kubernetes 1.28, so re-export it (and load only it, not all of cdk8s-plus).
export { IntOrString, KubeClusterRoleBinding, KubeConfigMap, KubeJob, KubeNamespace, KubeService, Quantity, type PodSpec } from 'cdk8s-plus-28/lib/imports/k8s';
