// dist/docs/architecture.md: a Mermaid flowchart of the integration patterns, one node per
// service, drawn from the model (so a service added to the config appears here too).
import type { AuthModel } from '../model/derive';
import { fence, markdownFile } from './markdown';
import { OUTPUT } from '../base/paths';

/** Mermaid ids: letters, digits and underscores; the prefix keeps patterns from colliding. */
export const mermaidId = (prefix: string, slug: string) => `${prefix}_${slug.replace(/[^A-Za-z0-9]/g, '_')}`;

/** A quoted label; `"` has to be an entity inside Mermaid strings. */
const label = (...parts: string[]) => `["${parts.map((p) => p.replace(/"/g, '#quot;')).join('<br/>')}"]`;

/** Mermaid entity codes for what a free-text name (docs/names.md) may hold that a label would read as markup. */
const MERMAID_ENTITIES: Readonly<Record<string, string>> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '`': '#96;' };

/** An application's name inside a label: markup characters as entities, a line break as a space. */
const name = (s: string) => s.replace(/[#"<>`]/g, (c) => MERMAID_ENTITIES[c]).replace(/\r\n|\r|\n/g, ' ');

export function architectureMermaid(m: AuthModel): string {
  const idp = 'authentik';
  const lines = [
    'flowchart TB',
    `  ${idp}${label('Authentik: IdP + embedded outpost', m.authentik.host, `LB ${m.authentik.loadBalancer.ip}`)}`,
  ];
  const edges: string[] = [];

  if (m.oidcApps.length) {
    lines.push('  subgraph native_oidc["Native OIDC"]');
    for (const a of m.oidcApps) {
      const id = mermaidId('oidc', a.slug);
      lines.push(`    ${id}${label(name(a.name), a.host, `client ${a.clientId}`)}`);
      edges.push(`  ${id} -->|"OIDC login"| ${idp}`);
    }
    lines.push('  end');
  }

  if (m.proxyApps.length || m.publicApps.length) {
    lines.push('  subgraph forward_auth["Forward auth: edge Traefik + embedded outpost"]');
    const edgeName = { 'traefik-file': 'Edge Traefik', 'traefik-crd': 'Traefik (IngressRoutes)', 'gateway-api': 'Traefik (Gateway API)' }[
      m.edge.mode
    ];
    lines.push(`    traefik${label(edgeName, `middleware ${m.edge.forwardAuth.middlewareName}`)}`);
    for (const a of m.proxyApps) {
      const id = mermaidId('proxy', a.slug);
      lines.push(`    ${id}${label(name(a.name), a.host)}`);
      edges.push(`  traefik -->|"after forwardAuth"| ${id}`);
    }
    lines.push('  end');
    edges.push(`  traefik -->|"forwardAuth ${m.authentik.outpostTraefikUrl}"| ${idp}`);
    if (m.publicApps.length) {
      lines.push('  subgraph public["Public: no authentication"]');
      for (const a of m.publicApps) {
        const id = mermaidId('public', a.slug);
        lines.push(`    ${id}${label(name(a.name), a.host)}`);
        edges.push(`  traefik --> ${id}`);
      }
      lines.push('  end');
    }
  }

  if (m.apiserverIssuers.length) {
    lines.push('  subgraph kube_auth["Kubernetes API: agents (client credentials) and people (kubelogin, PKCE)"]');
    for (const a of m.agents) {
      lines.push(`    ${mermaidId('agent', a.slug)}${label(name(a.name), `client ${a.clientId}`, `as ${a.kubernetesUsername}`)}`);
    }
    for (const k of m.kubectlApps) {
      lines.push(
        `    ${mermaidId('kubectl', k.slug)}${label(`${name(k.name)}: people at kubectl`, `public client ${k.clientId}`, `as ${m.kubernetes.usernamePrefix}#lt;username#gt;`)}`,
      );
    }
    lines.push(
      `    apiserver${label('kube-apiserver', m.talos ? `OIDC, ${m.talos.apiServerAuth} form` : 'OIDC, configured by the operator')}`,
    );
    lines.push('  end');
    for (const a of m.agents) {
      const id = mermaidId('agent', a.slug);
      edges.push(`  ${id} -->|"client_credentials"| ${idp}`, `  ${id} -->|"bearer token"| apiserver`);
    }
    for (const k of m.kubectlApps) {
      const id = mermaidId('kubectl', k.slug);
      edges.push(`  ${id} -->|"browser login, PKCE"| ${idp}`, `  ${id} -->|"ID token"| apiserver`);
    }
    edges.push(`  apiserver -.->|"issuer keys"| ${idp}`);
  }
  return [...lines, ...edges].join('\n');
}

export function architectureMarkdown(m: AuthModel): string[] {
  return [
    `# Architecture of ${m.clusterName} (${m.domain})`,
    '',
    `One identity provider, Authentik at ${m.authentik.url}, and three ways services use it.`,
    '',
    ...fence('mermaid', architectureMermaid(m)),
  ];
}

export const architectureDoc = (m: AuthModel) => markdownFile(OUTPUT.architectureDoc, architectureMarkdown(m));
