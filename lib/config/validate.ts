// Parse + validate a cluster config. Every problem becomes one line "<path>: <what is wrong>",
// and all problems are reported at once so an operator fixes them in one go.
import type { z } from 'zod';
import { ClusterConfigSchema, type ClusterConfig } from './schema';
import { AUTHENTIK_API_VERSION } from '../model/versions';

/** A config that cannot be synthesized. `problems` are the one-line messages. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Path = ReadonlyArray<PropertyKey>;

/** `['services', 3, 'host']` -> `services[3].host` */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(config)';
}

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function zodLine(input: unknown, issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown field (not in the config schema)`).join('\n');
    case 'invalid_type':
      return value === undefined
        ? `${path}: is required (${issue.expected})`
        : `${path}: expected ${issue.expected}, got ${show(value)}`;
    case 'invalid_value':
      return `${path}: ${show(value)} is not one of ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'invalid_format':
    case 'custom':
      return `${path}: ${show(value)} ${issue.message}`;
    case 'too_small':
      return Array.isArray(value) ? `${path}: ${issue.message.startsWith('must') ? issue.message : `must have at least ${String(issue.minimum)} item(s)`}` : `${path}: ${show(value)} is too small (${issue.message})`;
    default:
      return `${path}: ${value === undefined ? '' : `${show(value)} `}${issue.message}`;
  }
}

const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');
const versionAtLeast = (v: string, major: number, min: number) => {
  const [a, b] = v.replace(/^v/, '').split('.').map(Number);
  return a > major || (a === major && b >= min);
};

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

const PATTERNS = ['oidc', 'forwardAuth', 'agent', 'public'] as const;

/** Rules that span fields: uniqueness, references, versions. */
function semanticProblems(c: ClusterConfig): string[] {
  const out: string[] = [];
  const groupNames = new Set<string>();
  c.groups.forEach((g, i) => {
    if (groupNames.has(g.name)) out.push(`groups[${i}].name: duplicate group "${g.name}"`);
    if (g.name === c.groupParent) out.push(`groups[${i}].name: "${g.name}" is the groupParent; it cannot also be a child group`);
    groupNames.add(g.name);
  });

  const seen = { slug: new Map<string, number>(), host: new Map<string, number>(), clientId: new Map<string, number>() };
  const authHost = c.authentik.url.replace(/^https:\/\//, '').replace(/[:/].*$/, '');
  let agentsActive = 0;
  const consumerSeen = new Map<string, number>();
  c.services.forEach((s, i) => {
    const at = `services[${i}]`;
    const patterns = PATTERNS.filter((p) => s[p] !== undefined);
    if (patterns.length === 0) out.push(`${at}: has no integration pattern; set exactly one of ${PATTERNS.join(', ')}`);
    if (patterns.length > 1) out.push(`${at}: has ${patterns.length} integration patterns (${patterns.join(', ')}); set exactly one`);
    const dup = (kind: keyof typeof seen, value: string | undefined, path: string) => {
      if (value === undefined) return;
      const prev = seen[kind].get(value);
      if (prev !== undefined) out.push(`${path}: duplicate ${kind} "${value}" (also services[${prev}])`);
      else seen[kind].set(value, i);
    };
    dup('slug', s.slug, `${at}.slug`);
    dup('host', s.host, `${at}.host`);
    if (s.oidc) dup('clientId', s.oidc.clientId ?? s.slug, `${at}.oidc.clientId`);
    if (s.agent) dup('clientId', s.slug, `${at}.slug`);
    if (s.host === authHost) out.push(`${at}.host: "${s.host}" is Authentik's own host`);
    const needsHost = s.oidc || s.forwardAuth || s.public;
    if (needsHost && !s.host) out.push(`${at}.host: is required for ${patterns.join(', ')} services`);
    if (s.agent && s.host) out.push(`${at}.host: an agent has no host; remove it`);
    if (s.allowedGroups && (s.agent || s.public)) out.push(`${at}.allowedGroups: only applies to oidc and forwardAuth services`);
    s.allowedGroups?.forEach((g, j) => {
      if (!groupNames.has(g)) out.push(`${at}.allowedGroups[${j}]: unknown group "${g}" (not in groups)`);
    });
    if (s.oidc) {
      const o = s.oidc;
      if (o.consumer === 'generic' && !o.callbackPath) out.push(`${at}.oidc.callbackPath: is required for consumer "generic"`);
      if (o.consumer !== 'generic' && o.callbackPath) out.push(`${at}.oidc.callbackPath: is fixed for consumer "${o.consumer}"; remove it`);
      if (o.cli && o.consumer !== 'argocd') out.push(`${at}.oidc.cli: only the ArgoCD consumer has a CLI callback`);
      if (!s.retired && (o.consumer === 'argocd' || o.consumer === 'grafana')) {
        const prev = consumerSeen.get(o.consumer);
        if (prev !== undefined) out.push(`${at}.oidc.consumer: a second active "${o.consumer}" consumer (services[${prev}] is one); one values file each`);
        else consumerSeen.set(o.consumer, i);
      }
      if (o.consumer === 'grafana' && o.clientSecret && o.clientSecret.key !== GRAFANA_ENV) {
        out.push(`${at}.oidc.clientSecret.key: "${o.clientSecret.key}" must be exactly ${GRAFANA_ENV}: envFromSecret turns each key into an env var of the same name`);
      }
    }
    if (s.agent) {
      if (!groupNames.has(s.agent.group)) out.push(`${at}.agent.group: unknown group "${s.agent.group}" (not in groups)`);
      if (!s.retired) agentsActive++;
    }
  });
  if (agentsActive > 1 && c.talos.apiServerAuth === 'flags') {
    out.push(`talos.apiServerAuth: "flags" allows one issuer but ${agentsActive} agents are configured; use "structured"`);
  }

  const lb = c.authentik.loadBalancer;
  if (!lb.pool.some((cidr) => ipInCidr(lb.ip, cidr))) {
    out.push(`authentik.loadBalancer.ip: "${lb.ip}" is outside the pool ${lb.pool.join(', ')}`);
  }
  if (lb.httpPort === lb.httpsPort) out.push(`authentik.loadBalancer.httpsPort: equals httpPort (${lb.httpPort})`);

  const chartMinor = minor(c.authentik.chart.version);
  if (chartMinor !== minor(AUTHENTIK_API_VERSION)) {
    out.push(
      `authentik.chart.version: "${c.authentik.chart.version}" is Authentik ${chartMinor}, but blueprints are validated against @goauthentik/api ${AUTHENTIK_API_VERSION}; pin a ${minor(AUTHENTIK_API_VERSION)}.x chart or upgrade @goauthentik/api to ${chartMinor}`,
    );
  }
  if (!versionAtLeast(c.argocd.chart.version, 7, 0)) {
    out.push(`argocd.chart.version: "${c.argocd.chart.version}" is older than argo-cd 7.0, whose configs.* values layout this emits`);
  }
  if (!versionAtLeast(c.cilium.version, 1, 13)) {
    out.push(`cilium.version: "${c.cilium.version}" has no LB-IPAM (needs Cilium 1.13 or newer)`);
  }
  if (versionAtLeast(c.talos.version, 1, 14)) {
    out.push(`talos.version: "${c.talos.version}" rejects --oidc-* extraArgs and needs the KubeAuthenticationConfig document, which is not supported yet; use Talos 1.13 or older`);
  }
  if (c.talos.apiServerAuth === 'structured' && !versionAtLeast(c.talos.version, 1, 9)) {
    out.push(`talos.apiServerAuth: "structured" needs Talos 1.9+ (Kubernetes 1.30 AuthenticationConfiguration v1), not "${c.talos.version}"`);
  }
  return out;
}

export const GRAFANA_ENV = 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET';

/** Validate raw input (from TS, YAML or JSON). Throws ConfigError listing every problem. */
export function parseConfig(input: unknown): ClusterConfig {
  const r = ClusterConfigSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.flatMap((i) => zodLine(input, i).split('\n'));
    throw new ConfigError([...new Set(lines)]);
  }
  const problems = semanticProblems(r.data);
  if (problems.length) throw new ConfigError(problems);
  return r.data;
}
