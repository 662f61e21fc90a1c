// The seed's cluster ("frank"), layer 13 of the homelab: the default config.
// Every field is documented in docs/config-reference.md (generated from the schema: npm run schema).
import type { ClusterConfigInput } from '../lib/config/schema';

const domain = 'frank.derio.net';

export const frank: ClusterConfigInput = {
  cluster: { name: 'frank', domain },
  authentik: {
    url: `https://auth.${domain}`,
    namespace: 'authentik',
    chart: { version: '2026.2.3', releaseName: 'authentik' },
    loadBalancer: { ip: '192.168.55.211', pool: ['192.168.55.200/27'], httpPort: 9000, httpsPort: 9443 },
    secret: { name: 'authentik-secrets' },
    // Authentik already runs here (2 server replicas on the control planes, PostgreSQL on Longhorn):
    // its own values stay in the repository and the generated auth keys are layered over them.
    existingRelease: true,
    valueFiles: ['apps/authentik/values.yaml'],
  },
  argocd: {
    namespace: 'argocd',
    project: 'infrastructure',
    chart: { version: '9.4.6', releaseName: 'argocd' },
    defaultRole: 'role:readonly',
    // The values ArgoCD was installed with (--insecure behind Traefik, its LoadBalancer, notifications,
    // resource.exclusions); the generated auth keys are layered over them.
    valueFiles: ['apps/argocd/values.yaml'],
  },
  git: { repoURL: 'https://github.com/derio-net/frank.git', targetRevision: 'main', path: 'dist' },
  cilium: { version: '1.16.5' },
  // structured: the apiserver trusts two issuers, the agents' and people's (flags take only one).
  talos: { version: 'v1.13.9', apiServerAuth: 'structured', omniCluster: 'frank' },
  kubernetes: { usernameClaim: 'preferred_username', groupsClaim: 'groups', usernamePrefix: 'oidc:', groupsPrefix: '' },
  traefik: { certResolver: 'letsencrypt', entryPoints: ['websecure'] },
  // Grafana is the `grafana` subchart of victoria-metrics-k8s-stack on this cluster.
  grafana: { application: 'victoria-metrics-k8s-stack', parentKey: 'grafana' },
  groupParent: 'root',
  groups: [
    { name: 'root-admins', superuser: true, kubernetes: 'cluster-admin', argocd: 'role:admin', grafana: 'Admin' },
    { name: 'root-devops', kubernetes: 'admin', argocd: 'role:admin', grafana: 'Editor' },
    { name: 'root-developers', kubernetes: 'view', argocd: 'role:readonly', grafana: 'Viewer' },
    { name: 'root-agents', members: 'agents', kubernetes: 'cluster-admin' },
  ],
  services: [
    { slug: 'argocd', name: 'ArgoCD', host: `argocd.${domain}`, allowedGroups: 'any', oidc: { consumer: 'argocd' } },
    { slug: 'grafana', name: 'Grafana', host: `grafana.${domain}`, allowedGroups: 'any', oidc: { consumer: 'grafana' } },
    { slug: 'infisical', name: 'Infisical', host: `infisical.${domain}`, allowedGroups: 'any', oidc: { consumer: 'infisical' } },
    {
      slug: 'longhorn',
      name: 'Longhorn',
      host: `longhorn.${domain}`,
      allowedGroups: ['root-admins', 'root-devops'],
      forwardAuth: { upstream: 'http://192.168.55.212:80' },
    },
    {
      slug: 'hubble',
      name: 'Hubble',
      host: `hubble.${domain}`,
      allowedGroups: ['root-admins', 'root-devops', 'root-developers'],
      forwardAuth: { upstream: 'http://192.168.55.213:80' },
    },
    {
      // The seed left Sympozium open to every logged-in user by omission; it is an operator UI.
      slug: 'sympozium',
      name: 'Sympozium',
      host: `sympozium.${domain}`,
      allowedGroups: ['root-admins', 'root-devops'],
      forwardAuth: { upstream: 'http://192.168.55.214:8080' },
    },
    { slug: 'k8s-agent', name: 'Kubernetes agents', agent: { group: 'root-agents', accessTokenValidity: 'hours=8' } },
    // People at kubectl: kubelogin signs them in through the browser (the agent above uses client credentials).
    { slug: 'kubernetes', name: 'Kubernetes', allowedGroups: ['root-admins', 'root-devops', 'root-developers'], kubectl: {} },
  ],
};

export default frank;
