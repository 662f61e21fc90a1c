// The starter config `npm run init` writes: the cluster's names and URLs from its domain, the
// services most clusters have (ArgoCD in, the others as commented-out examples), and a REVIEW
// comment on every value init cannot know. One table of content, written as YAML or TypeScript.
import type { ClusterConfigInput } from '../config/schema';

export interface StarterInput {
  domain: string;
  name: string;
  /** The repository ArgoCD syncs (git.repoURL). */
  repoURL: string;
}

type Service = ClusterConfigInput['services'][number];

/** A service of the starter: in the config, or shown commented out. */
export interface StarterService {
  service: Service;
  enabled: boolean;
  comment: string;
}

/** The services most people have, in or out. */
export const starterServices = (domain: string): StarterService[] => [
  {
    enabled: true,
    comment: 'ArgoCD signs in through Authentik; its own RBAC (groups[].argocd) decides what a user can do.',
    service: { slug: 'argocd', name: 'ArgoCD', host: `argocd.${domain}`, allowedGroups: 'any', oidc: { consumer: 'argocd' } },
  },
  {
    enabled: false,
    comment: 'Grafana: list the generated values file in the Application that runs it (<out>/docs/manual-operations.yaml says how).',
    service: { slug: 'grafana', name: 'Grafana', host: `grafana.${domain}`, allowedGroups: 'any', oidc: { consumer: 'grafana' } },
  },
  {
    enabled: false,
    comment: 'Any other OIDC app (here Gitea): its issuer, client id and callback are listed in <out>/docs/manual-operations.yaml.',
    service: {
      slug: 'gitea',
      name: 'Gitea',
      host: `git.${domain}`,
      allowedGroups: ['admins', 'developers'],
      oidc: { consumer: 'generic', callbackPath: '/user/oauth2/authentik/callback' },
    },
  },
  {
    enabled: false,
    comment: 'An app without its own login, behind the forward-auth outpost.',
    service: {
      slug: 'longhorn',
      name: 'Longhorn',
      host: `longhorn.${domain}`,
      allowedGroups: ['admins'],
      forwardAuth: { upstream: 'http://192.168.1.241:80' },
    },
  },
  {
    enabled: true,
    comment: 'People at kubectl (kubelogin): the apiserver trusts the issuer through the Talos patch in <out>/talos/.',
    service: { slug: 'kubernetes', name: 'Kubernetes', allowedGroups: ['admins', 'developers'], kubectl: {} },
  },
];

/** The config without its services, and a comment per config path that needs the operator's eye. */
export function starterConfig(s: StarterInput): { config: Omit<ClusterConfigInput, 'services'>; comments: Map<string, string> } {
  const config = {
    cluster: { name: s.name, domain: s.domain },
    authentik: {
      url: `https://auth.${s.domain}`,
      loadBalancer: { ip: '192.168.1.240', pool: ['192.168.1.240/28'] },
      // A fresh Authentik is installed by its Application (set existingRelease when one already runs).
    },
    argocd: { project: 'default', chart: { version: '9.4.6' }, noValueFiles: true },
    git: { repoURL: s.repoURL },
    cilium: { version: '1.16.5' },
    talos: { version: 'v1.13.9', apiServerAuth: 'structured' as const },
    groups: [
      { name: 'admins', superuser: true, kubernetes: 'cluster-admin', argocd: 'role:admin' as const, grafana: 'Admin' as const },
      { name: 'developers', kubernetes: 'view', argocd: 'role:readonly' as const, grafana: 'Viewer' as const },
    ],
  };
  const comments = new Map<string, string>([
    ['authentik.loadBalancer', "REVIEW: the address of Authentik's LoadBalancer Service and the pool it comes from"],
    [
      'argocd',
      'REVIEW: your ArgoCD project and chart version; list the values files ArgoCD was installed with in valueFiles (then drop noValueFiles)',
    ],
    ['git', 'REVIEW: the repository ArgoCD syncs. git.path is left out: it follows where synth writes (unified-auth.json)'],
    [
      'cilium',
      'REVIEW: the Cilium version (it gives the LoadBalancer its IP); without Cilium remove this block: the runbook then says what is left to you',
    ],
    [
      'talos',
      'REVIEW: the Talos version (the apiserver OIDC patch goes to <out>/talos/); without Talos remove this block: the runbook lists what the apiserver must trust',
    ],
    ['groups', 'Authentik groups, and what each may do in Kubernetes, ArgoCD and Grafana'],
    ['services', 'Who may open what: allowedGroups is a list of groups, or any'],
  ]);
  return { config, comments };
}
