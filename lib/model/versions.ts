// Versions that decide output formats. Kept in one place so a version bump is one diff.
import api from '../../imports/authentik-api.json';

/** The @goauthentik/api release the blueprints are validated against (its minor must match the chart). */
export const AUTHENTIK_API_VERSION: string = api.version;

/** Cilium renamed the LB-IPAM annotation in 1.16 (DESIGN.md §18). */
export function lbIpamAnnotation(ciliumVersion: string): string {
  const [major, minor] = ciliumVersion.replace(/^v/, '').split('.').map(Number);
  return major > 1 || minor >= 16 ? 'lbipam.cilium.io/ips' : 'io.cilium/lb-ipam-ips';
}
