// Versions that decide output formats. Kept in one place so a version bump is one diff.
// Authentik's own supported range and API differences are in authentik-versions.ts.

/** Cilium renamed the LB-IPAM annotation in 1.16 (docs/field-traps.md#lb-ipam). */
export function lbIpamAnnotation(ciliumVersion: string): string {
  return versionAtLeast(ciliumVersion, 1, 16) ? 'lbipam.cilium.io/ips' : 'io.cilium/lb-ipam-ips';
}

/**
 * CiliumLoadBalancerIPPool: v2alpha1 until Cilium 1.18 serves v2 (v2alpha1 is then deprecated);
 * its `blocks` field replaced `cidrs` in 1.15.
 */
export function ciliumIpPoolFormat(ciliumVersion: string): { apiVersion: string; blocksField: 'blocks' | 'cidrs' } {
  return {
    apiVersion: versionAtLeast(ciliumVersion, 1, 18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1',
    blocksField: versionAtLeast(ciliumVersion, 1, 15) ? 'blocks' : 'cidrs',
  };
}

/**
 * AuthenticationConfiguration is v1beta1 from Kubernetes 1.30 and v1 (GA) from 1.34, which Talos
 * ships from 1.11; older Talos runs a Kubernetes that rejects v1.
 */
export function authenticationConfigApiVersion(talosVersion: string): string {
  return versionAtLeast(talosVersion, 1, 11) ? 'apiserver.config.k8s.io/v1' : 'apiserver.config.k8s.io/v1beta1';
}

/** `v1.13.9` / `1.13.9` is at least major.minor. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.replace(/^v/, '').split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * How Talos takes the apiserver's OIDC settings (docs/field-traps.md#apiserver-oidc-forms): `--oidc-*` extraArgs (one issuer),
 * an AuthenticationConfiguration file through machine.files (Talos ≤1.13), or, from Talos 1.14, the
 * KubeAuthenticationConfig document (newer Talos sets --authentication-config itself and rejects the flags).
 */
export type TalosAuthForm = 'flags' | 'machine-file' | 'document';
export function talosAuthForm(talosVersion: string, apiServerAuth: 'flags' | 'structured'): TalosAuthForm {
  if (apiServerAuth === 'flags') return 'flags';
  return versionAtLeast(talosVersion, 1, 14) ? 'document' : 'machine-file';
}
