// dist/kubeconfig/agent.yaml: a kubeconfig template for the agents; dist/kubeconfig/people.yaml:
// the one people use (browser sign-in, no secret). One file holds one user and
// one context per agent, so its name does not change when a second agent is added. The user runs
// kubelogin (int128/kubelogin, `kubectl oidc-login`) with the client-credentials grant.
import type { AgentApp, AuthModel, KubectlApp } from '../model/derive';
import { GENERATED_HEADER, toYaml, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';

/** Placeholders the operator replaces; kubectl fails loudly on them rather than guessing. */
export const KUBE_API_PLACEHOLDER = 'https://<kubernetes-api>:6443';
export const KUBE_CA_PLACEHOLDER = '<base64 PEM of the cluster CA>';

/** Single-quote for sh unless the word is plainly safe. */
const shWord = (s: string) => (/^[-A-Za-z0-9_./:=@%+,]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The exec plugin's shell line. kubelogin reads the client secret only from --oidc-client-secret
 * (no env var), and client-go passes exec args verbatim without expanding variables, so sh expands
 * it; `:?` stops with a message when the variable is unset instead of sending an empty secret.
 * The secret is base64("<service account>:<app password>"): Authentik then issues the token for
 * that service account, a member of the agent's group. `profile` carries the groups claim (docs/field-traps.md#authentik-defaults).
 */
export function kubeloginCommand(a: AgentApp): string {
  const args = [
    'kubectl',
    'oidc-login',
    'get-token',
    `--oidc-issuer-url=${a.issuer}`,
    `--oidc-client-id=${a.clientId}`,
    '--grant-type=client-credentials',
    '--oidc-extra-scope=profile',
  ].map(shWord);
  const secret = `--oidc-client-secret="\${${a.kubeconfigEnvVar}:?set ${a.kubeconfigEnvVar} to base64 of ${a.serviceAccount}:<app password>}"`;
  return `exec ${args.join(' ')} ${secret}`;
}

/** The context (and user) an agent selects in the shared file. */
export const agentContext = (_m: AuthModel, a: AgentApp) => a.kubeconfigContext;

type ExecCredential = { command: string; args: string[]; interactiveMode: 'Never' | 'IfAvailable' };

/** One cluster (placeholders), and a user and context per entry; the first context is current. */
function kubeconfig(m: AuthModel, entries: Array<{ user: string; context: string; exec: ExecCredential }>) {
  const cluster = m.clusterName;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: KUBE_API_PLACEHOLDER, 'certificate-authority-data': KUBE_CA_PLACEHOLDER } }],
    users: entries.map((e) => ({
      name: e.user,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          ...e.exec,
          provideClusterInfo: false,
          installHint: 'Install kubelogin as the kubectl plugin oidc-login: https://github.com/int128/kubelogin',
        },
      },
    })),
    contexts: entries.map((e) => ({ name: e.context, context: { cluster, user: e.user } })),
    'current-context': entries[0].context,
  };
}

export function agentKubeconfig(m: AuthModel) {
  return kubeconfig(
    m,
    m.agents.map((a) => ({
      user: a.slug,
      context: agentContext(m, a),
      exec: { command: 'sh', args: ['-c', kubeloginCommand(a)], interactiveMode: 'Never' },
    })),
  );
}

/** The file, with a comment naming what to fill in (YAML documents carry no comments). */
export function agentKubeconfigFile(m: AuthModel): OutputFile {
  const doc = agentKubeconfig(m);
  const note = [
    '# Template: replace the cluster server and certificate-authority-data placeholders (from the',
    "# admin kubeconfig), then export each agent's client-secret variable before running kubectl:",
    ...m.agents.map((a) => `#   ${a.kubeconfigEnvVar}=base64("${a.serviceAccount}:<app password>")   (user ${a.slug})`),
  ].join('\n');
  return { path: OUTPUT.kubeconfig, docs: [doc], text: `${GENERATED_HEADER}${note}\n${toYaml(doc)}` };
}

/**
 * People's exec plugin: kubelogin's authorization-code flow with PKCE (S256) against the public
 * client. It opens the browser, listens on its loopback callback, caches the tokens and refreshes
 * them (offline_access); there is no client secret to hand out.
 */
export function peopleKubeloginArgs(k: KubectlApp): string[] {
  return [
    'oidc-login',
    'get-token',
    `--oidc-issuer-url=${k.issuer}`,
    `--oidc-client-id=${k.clientId}`,
    '--oidc-pkce-method=S256',
    ...k.scopes.filter((s) => s !== 'openid').map((s) => `--oidc-extra-scope=${s}`),
  ];
}

export function peopleKubeconfig(m: AuthModel) {
  return kubeconfig(
    m,
    // The first call opens a browser, so it needs a terminal; later calls use the cached token.
    m.kubectlApps.map((k) => ({
      user: k.user,
      context: k.context,
      exec: { command: 'kubectl', args: peopleKubeloginArgs(k), interactiveMode: 'IfAvailable' },
    })),
  );
}

export function peopleKubeconfigFile(m: AuthModel): OutputFile {
  const doc = peopleKubeconfig(m);
  const note = [
    '# For people: replace the cluster server and certificate-authority-data placeholders (from the',
    '# admin kubeconfig), then run any kubectl command: kubelogin opens the browser for the Authentik',
    '# login. No secret is in this file; what you may do comes from your groups (see docs/ACCESS.md).',
  ].join('\n');
  return { path: OUTPUT.peopleKubeconfig, docs: [doc], text: `${GENERATED_HEADER}${note}\n${toYaml(doc)}` };
}
