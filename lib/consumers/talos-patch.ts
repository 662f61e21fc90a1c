// dist/talos/: the kube-apiserver's OIDC configuration as a Talos machine-config patch (Talos
// ≤1.13 takes it through cluster.apiServer, docs/field-traps.md#apiserver-oidc-forms; Talos 1.14+ through its
// KubeAuthenticationConfig document), plus the same patch wrapped as an
// Omni ConfigPatch when Omni manages the cluster. Emitted only when an agent or a person at
// kubectl needs the apiserver to trust Authentik tokens.
import type { ApiserverIssuer, AuthModel } from '../model/derive';
import { toYaml, yamlFile, type OutputFile } from '../base/file-text';
import { OUTPUT } from '../base/paths';

/**
 * Where the structured config lives. Talos lets machine.files create files only under /var; the
 * apiserver container gets the same path mounted read-only, so the flag names a path valid in both.
 */
export const AUTHENTICATION_CONFIG_PATH = '/var/etc/kubernetes/authentication-config.yaml';

/** 0644: the apiserver runs as UID 65534 and must be able to read the file (docs/field-traps.md#apiserver-oidc-forms). */
const AUTHENTICATION_CONFIG_MODE = 0o644;

/**
 * --oidc-username-prefix, always explicit: left unset, kube-apiserver prefixes every non-email
 * username with "<issuer>#", and agents[].kubernetesUsername would no longer be what RBAC sees.
 * '-' is the flag's spelling of "no prefix".
 */
export const usernamePrefixFlag = (prefix: string) => (prefix === '' ? '-' : prefix);

function oidcFlags(m: AuthModel, trusted: ApiserverIssuer): Record<string, string> {
  const k = m.kubernetes;
  return {
    'oidc-issuer-url': trusted.issuer,
    'oidc-client-id': trusted.clientId,
    'oidc-username-claim': k.usernameClaim,
    'oidc-groups-claim': k.groupsClaim,
    'oidc-username-prefix': usernamePrefixFlag(k.usernamePrefix),
    // Unset means no groups prefix, so it is only written when there is one.
    ...(k.groupsPrefix ? { 'oidc-groups-prefix': k.groupsPrefix } : {}),
  };
}

/**
 * One JWT authenticator per trusted issuer (each agent, and each people client for kubectl; during
 * a domain move one per client and Authentik URL, docs/changing-domains.md), as
 * AuthenticationConfiguration's `jwt` list takes them. The apiserver refuses two with the same
 * issuer URL; ours differ (one per application and URL), and each has its client id as audience.
 */
function jwtAuthenticators(m: AuthModel) {
  const k = m.kubernetes;
  return m.apiserverIssuers.map((a) => ({
    issuer: { url: a.issuer, audiences: [a.clientId] },
    // Structured config takes the prefix literally ("" = none), unlike the flag.
    claimMappings: {
      username: { claim: k.usernameClaim, prefix: k.usernamePrefix },
      groups: { claim: k.groupsClaim, prefix: k.groupsPrefix },
    },
  }));
}

const talosOf = (m: AuthModel): NonNullable<AuthModel['talos']> => {
  if (!m.talos) throw new Error('internal: a Talos patch was asked for without a talos block');
  return m.talos;
};

/** apiserver.config.k8s.io/v1 AuthenticationConfiguration (the machine-file form). */
export function authenticationConfiguration(m: AuthModel) {
  return { apiVersion: talosOf(m).authenticationConfigApiVersion, kind: 'AuthenticationConfiguration', jwt: jwtAuthenticators(m) };
}

/**
 * Talos 1.14+ KubeAuthenticationConfig: its `configuration` replaces Talos's default, so the
 * default anonymous access to the health endpoints is kept (the apiserver's probes use them).
 */
export function kubeAuthenticationConfig(m: AuthModel) {
  return {
    apiVersion: 'v1alpha1',
    kind: 'KubeAuthenticationConfig',
    configuration: {
      anonymous: { enabled: true, conditions: ['/livez', '/readyz', '/healthz'].map((path) => ({ path })) },
      jwt: jwtAuthenticators(m),
    },
  };
}

/** The Talos machine-config patch, in the form m.talos.form selects (the forms are exclusive). */
export function talosApiServerPatch(m: AuthModel) {
  const form = talosOf(m).form;
  if (form === 'document') return kubeAuthenticationConfig(m);
  if (form === 'flags') {
    // Validation allows the flags form with one trusted issuer only (one issuer, one client id).
    return { cluster: { apiServer: { extraArgs: oidcFlags(m, m.apiserverIssuers[0]) } } };
  }
  return {
    machine: {
      files: [
        {
          content: toYaml(authenticationConfiguration(m)),
          permissions: AUTHENTICATION_CONFIG_MODE,
          path: AUTHENTICATION_CONFIG_PATH,
          op: 'create',
        },
      ],
    },
    cluster: {
      apiServer: {
        extraArgs: { 'authentication-config': AUTHENTICATION_CONFIG_PATH },
        extraVolumes: [{ hostPath: AUTHENTICATION_CONFIG_PATH, mountPath: AUTHENTICATION_CONFIG_PATH, readonly: true }],
      },
    },
  };
}

/**
 * Omni's ConfigPatch resource (omnictl apply -f), as Omni's own docs and resources show it:
 * metadata.type ConfigPatches.omni.sidero.dev in namespace default, the cluster label plus the
 * machine-set label of the control-plane set (`<cluster>-control-planes`), and spec.data holding
 * the Talos patch as YAML text. Kept to those fields; Omni fills in the rest.
 */
export function omniConfigPatch(m: AuthModel, patchText: string) {
  const { omniPatch: omni, omniCluster } = talosOf(m);
  if (!omniCluster || !omni) throw new Error('omniConfigPatch needs talos.omniCluster');
  return {
    metadata: {
      namespace: 'default',
      type: 'ConfigPatches.omni.sidero.dev',
      id: omni.id,
      labels: {
        'omni.sidero.dev/cluster': omniCluster,
        'omni.sidero.dev/machine-set': omni.machineSet,
      },
    },
    spec: { data: patchText },
  };
}

/** Both files, or none when no agent or person signs in to kubectl (nothing needs the apiserver to trust Authentik). */
export function talosFiles(m: AuthModel): OutputFile[] {
  // No talos block: the apiserver is the operator's (manual-operations.yaml lists what it must trust).
  if (!m.apiserverIssuers.length || !m.talos) return [];
  const patch = talosApiServerPatch(m);
  return [
    yamlFile(OUTPUT.talosPatch, patch),
    ...(m.talos.omniPatch ? [yamlFile(OUTPUT.omniPatch, omniConfigPatch(m, toYaml(patch)))] : []),
  ];
}
