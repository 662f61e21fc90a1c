// Parse + validate a cluster config. Every problem becomes one line "<path>: <what is wrong>",
// and all problems are reported at once so an operator fixes them in one go.
import * as z from 'zod';
import { ClusterConfigSchema, DNS_LABEL, DNS_NAME, HTTP_URL, type ClusterConfig } from '../config/schema';
import { versionAtLeast } from '../upstream/chart-versions';
import { SUPPORTED_RANGE, apiSchemasOf, authentikMinor, defectsHit, isSupportedMinor } from '../upstream/authentik-versions';
import { nearest } from '../base/suggest';
import { MODEL_SCHEMAS, resolveApiSchema, type ApiSchemas } from '../upstream/api-schema';
import { MODEL } from '../upstream/authentik-models';
import { AUTHENTIK_ROUTE, clientIdOf, serviceAccountOf } from '../model/derive';
import { deriveOnce } from '../model/derive-once';
import { CONSUMER_CALLBACK_PATH, GRAFANA_ENV } from '../upstream/conventions';
import { edgeProblems } from './edge';
import { migrationProblems } from './migration';
import { valuesLayeringProblems } from './values-layering';
import { gitopsProblems } from './gitops';
import { secretsModeProblems } from './secrets-mode';
import { configMapNameProblems, releaseNameProblems, reservedSlugProblems } from './authentik-limits';
import {
  adoptedBlueprint,
  blueprintRef,
  clusterRoleBindingNameOf,
  OIDC_SHARDS,
  providerBlueprint,
  sharedBlueprints,
} from '../model/identity';
import { redirectRegexProblem } from './redirect-uri';
import { derivedNameCollisions } from '../model/derived-names';
import { groupRuleProblems } from './group-rules';
import { KEEP, describeValue, maskUserinfo, sanitizeLine, truncate } from '../base/messages';
import { integrationsOf, providerIdentifiers, providerName } from '../model/patterns';
import type { BlueprintRef } from '../model/types';

/** A config that cannot be synthesized. `problems` are the one-line messages. */
export class ConfigError extends Error {
  /** One line each, sanitised (lib/base/messages.ts): no userinfo, no line breaks, no huge values. */
  readonly problems: string[];
  constructor(problems: string[]) {
    const lines = problems.map(sanitizeLine);
    super(lines.join('\n'));
    this.problems = lines;
    this.name = 'ConfigError';
  }
}

type Path = ReadonlyArray<PropertyKey>;

/**
 * `['services', 3, 'host']` -> `services[3].host`. A key that is not a plain identifier (a typo
 * with a space, a dotted key) is quoted, `services[0]["call back"]`, so the path stays one token.
 */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (String(p).length > KEEP) out += `[${JSON.stringify(truncate(String(p)))}]`;
    else if (!/^[A-Za-z_][\w-]*$/.test(String(p))) out += `[${JSON.stringify(String(p))}]`;
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

const show = (v: unknown): string => describeValue(v);

/** What a value is, in the words a YAML author uses. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    // YAML 1.1 (js-yaml's default schema) reads an unquoted 2026-01-01 as a timestamp.
    const iso = v.toISOString();
    const text = iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
    return `a date: YAML read ${text} as a date, quote it ("${text}")`;
  }
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'function' || typeof v === 'symbol') return show(v);
  return `${typeof v} ${show(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

/** A schema without its optional/default/prefault/nullable wrappers (zod's public unwrap()). */
function unwrapped(node: z.ZodType): z.ZodType {
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodNullable) {
    node = node.unwrap() as z.ZodType;
  }
  return node;
}

/** The object schema at `path` (through optional/default/array wrappers), for field suggestions. */
function objectShapeAt(path: Path): Record<string, unknown> | undefined {
  let node = unwrapped(ClusterConfigSchema);
  for (const p of path) {
    if (node instanceof z.ZodArray && typeof p === 'number') node = unwrapped(node.element as z.ZodType);
    else if (node instanceof z.ZodObject && typeof p === 'string' && p in node.shape) node = unwrapped(node.shape[p] as z.ZodType);
    else return undefined;
  }
  return node instanceof z.ZodObject ? node.shape : undefined;
}

function unknownField(objectPath: Path, key: string): string {
  const known = Object.keys(objectShapeAt(objectPath) ?? {});
  // Case-insensitive: `Services` and `servcies` both point at `services`. A huge key is near nothing.
  const [closest] = nearest(
    key.length > KEEP ? '' : key.toLowerCase(),
    known.map((k) => k.toLowerCase()),
    (k) => Math.max(1, Math.floor(k.length / 4)),
  );
  const near = known.find((k) => k.toLowerCase() === closest);
  const hint = near ? `; did you mean "${near}"?` : known.length ? ` (allowed: ${known.join(', ')})` : '';
  return `${formatPath([...objectPath, key])}: unknown field ${JSON.stringify(key.length > KEEP ? truncate(key) : key)}${hint}`;
}

/** zod's own messages start like this; a schema's custom message does not. */
const isDefaultMessage = (m: string) => /^(Too (small|big)|Invalid )/.test(m);

function sizeLine(path: string, value: unknown, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (!isDefaultMessage(issue.message)) {
    return issue.message.startsWith('must') ? `${path}: ${issue.message}` : `${path}: ${show(value)} ${issue.message}`;
  }
  switch (issue.origin) {
    case 'string':
      if (small && limit === 1) return `${path}: must not be empty`;
      return `${path}: ${show(value)} is ${String((value as string).length)} characters; must be at ${small ? 'least' : 'most'} ${limit}`;
    case 'array':
      if (small && limit === 1) return `${path}: must not be empty (list at least one item)`;
      return `${path}: has ${String((value as unknown[]).length)} items; must have at ${small ? 'least' : 'most'} ${limit}`;
    default:
      return `${path}: ${show(value)} is too ${small ? 'small' : 'big'}; must be at ${small ? 'least' : 'most'} ${limit}`;
  }
}

function zodLine(input: unknown, issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => unknownField(issue.path, k)).join('\n');
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (!issue.path.length && (value === undefined || value === null))
        return `${path}: is empty; expected ${expected} with the cluster config`;
      if (value === undefined) return `${path}: is required (${expected})`;
      return `${path}: expected ${expected}, got ${kindOf(value)}`;
    }
    case 'invalid_value':
      return `${path}: ${show(value)} is not one of ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'invalid_format':
      if (isDefaultMessage(issue.message)) {
        const pattern = 'pattern' in issue && issue.pattern ? ` ${String(issue.pattern)}` : '';
        return `${path}: ${show(value)} is not a valid ${issue.format}${pattern ? ` (must match${pattern})` : ''}`;
      }
      return `${path}: ${show(value)} ${issue.message}${nameRule(value, 'pattern' in issue ? String(issue.pattern) : '')}`;
    case 'invalid_union': {
      // `allowedGroups: any | [groups]`: for a list, report the list branch's own problems at
      // their paths (services[4].allowedGroups[0]), not one line for the whole union.
      const branch = Array.isArray(value)
        ? issue.errors.find((b) => !b.some((i) => i.code === 'invalid_value' && !i.path.length))
        : undefined;
      if (branch?.length) return branch.map((i) => zodLine(input, { ...i, path: [...issue.path, ...i.path] })).join('\n');
      return `${path}: ${value === undefined ? '' : `${show(value)} `}${issue.message}`;
    }
    case 'custom':
      return `${path}: ${show(value)} ${issue.message}`;
    case 'too_small':
    case 'too_big':
      return sizeLine(path, value, issue);
    default:
      return `${path}: ${value === undefined ? '' : `${show(value)} `}${issue.message}`;
  }
}

/**
 * Why a value is not a DNS label (slugs, names) or DNS name (hosts): the rule, and what breaks it.
 * `pattern` is the regex the schema used, so only those two rules get this explanation.
 */
function nameRule(value: unknown, pattern: string): string {
  const label = pattern === String(DNS_LABEL) || pattern === DNS_LABEL.source;
  const name = pattern === String(DNS_NAME) || pattern === DNS_NAME.source;
  if (typeof value !== 'string' || (!label && !name)) return '';
  const re = label ? DNS_LABEL : DNS_NAME;
  const lower = value.toLowerCase();
  if (lower !== value && re.test(lower)) return `: must be lowercase (${JSON.stringify(lower)})`;
  const broken: string[] = [];
  if (lower !== value) broken.push('must be lowercase');
  const bad = [...new Set(lower.replace(label ? /[-a-z0-9]/g : /[-a-z0-9.]/g, ''))];
  if (bad.length) broken.push(`${bad.map((c) => JSON.stringify(c)).join(', ')} not allowed`);
  if (label && value.length > 63) broken.push(`is ${value.length} characters long`);
  const rule = label
    ? 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'
    : 'dot-separated labels of lowercase letters, digits and "-", each at most 63 characters';
  return `: ${broken.length ? `${broken.join('; ')} ` : ''}(${rule})`;
}

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

const PATTERNS = ['oidc', 'forwardAuth', 'agent', 'public', 'kubectl'] as const;

/**
 * Two things under one identity would be one object in Authentik or Kubernetes, each sync
 * overwriting the other: application slugs, provider names (unique across every provider kind),
 * blueprint names, ConfigMap names and ClusterRoleBinding names, with or without overrides.
 */
function identityCollisions(c: ClusterConfig): string[] {
  const out: string[] = [];
  // `plain`: the default built 1:1 from the service's slug or name, whose duplicates the slug and
  // name checks already report; two plain claims are not reported again.
  const seen = new Map<string, { path: string; plain: boolean }>();
  const claim = (kind: string, value: string, path: string, plain = false) => {
    const key = `${kind}\u0000${value}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, { path, plain });
    else if (prev.path !== path && !(prev.plain && plain))
      out.push(`${path}: ${kind} "${value}" is already ${prev.path}'s; each must be unique`);
  };
  const blueprint = (ref: BlueprintRef, path: string, plain = false) => {
    claim('blueprint name', ref.name, path, plain);
    claim('ConfigMap name', ref.configMapName, path, plain);
  };
  // Forward-auth services naming the very same adopted blueprint share its file, as the proxy
  // providers of a hand-written layer often do: their entries are rendered into it together
  // (lib/blueprints/build.ts proxyBlueprints), so they claim it once, under the first one's path.
  const sharedFiles = new Map<string, string>();
  const sharedAt = (kind: string, b: Parameters<typeof adoptedBlueprint>[0], path: string): string => {
    if (kind !== 'forwardAuth') return path;
    const key = JSON.stringify(adoptedBlueprint(b));
    if (!sharedFiles.has(key)) sharedFiles.set(key, path);
    return sharedFiles.get(key)!;
  };
  const shared = sharedBlueprints(c);
  for (const key of ['groups', 'outpost', 'agents', 'retired'] as const) {
    blueprint(shared[key], c.authentik.blueprints[key] ? `authentik.blueprints.${key}` : `the ${key} blueprint`);
  }
  blueprint(blueprintRef('proxy-providers'), 'the shared forward-auth blueprint');
  // Every shard name, whether used or not: an adopted name must not become one later.
  for (let n = 0; n < OIDC_SHARDS; n++) blueprint(blueprintRef(`oidc-providers-${n}`), 'the OIDC shard blueprints');
  c.services.forEach((s, i) => {
    const at = `services[${i}]`;
    for (const n of integrationsOf(s)) {
      if (n.kind === 'public') continue;
      // Only oidc and forwardAuth take overrides; the others are named after the service.
      const over = n.kind === 'oidc' ? n.oidc : n.kind === 'forwardAuth' ? n.forwardAuth : undefined;
      const path = `${at}.${n.kind}`;
      // Plain: the default is the service's own slug or name, whose duplicates are reported already.
      if (over?.application?.slug) claim('application slug', n.application.slug, `${path}.application.slug`);
      else claim('application slug', n.application.slug, `${at}.slug`, n.application.slug === s.slug);
      // Provider.name is unique in Authentik, Application.name is not (authentik/core/models.py): two
      // services may share a name, but not the provider name derived from it.
      if (over?.providerName) claim('provider name', providerName(n), `${path}.providerName`);
      else if (n.kind === 'forwardAuth') claim('provider name', providerName(n), `${at}.slug`, true);
      else claim('provider name', providerName(n), `${at}.name`);
      if (over?.blueprint) blueprint(adoptedBlueprint(over.blueprint), sharedAt(n.kind, over.blueprint, `${path}.blueprint`));
      else if (n.kind === 'kubectl') blueprint(providerBlueprint(s.slug), `${at}.slug`, true);
    }
  });
  c.groups.forEach((g, i) => {
    if (!g.retired && g.kubernetes) {
      const path = g.clusterRoleBindingName ? `groups[${i}].clusterRoleBindingName` : `groups[${i}].name`;
      claim('ClusterRoleBinding name', clusterRoleBindingNameOf(g), path, !g.clusterRoleBindingName);
    }
  });
  return [...new Set(out)];
}

/** The hosts the config gives a service: its host, both hosts of its move, its explicit callbacks'. */
function ownHostsOf(c: ClusterConfig, s: ClusterConfig['services'][number]): Set<string> {
  const hosts = new Set<string>();
  const hostOf = (u: string) => {
    try {
      hosts.add(new URL(u).hostname.toLowerCase());
    } catch {
      // Not a URL: reported by its own rule.
    }
  };
  if (s.host) hosts.add(s.host);
  for (const m of c.migration?.hosts ?? []) if (m.to === s.host) hosts.add(m.from);
  if (s.oidc?.callbackUrl) hostOf(s.oidc.callbackUrl);
  for (const r of s.oidc?.redirectUris ?? []) if (r.matching === 'strict') hostOf(r.url);
  return hosts;
}

/** A private-use URI scheme of a native app (RFC 8252 section 7.1): a reverse domain name, then the path. */
const PRIVATE_USE_URI = /^[a-z][a-z0-9+-]*(?:\.[a-z0-9+-]+)+:\S+$/i;

/**
 * Redirect URIs beyond the consumer's own: a plain http:// (or IP) callback is allowed only when
 * it is written out in full, never reached by a pattern, so no one registers one by accident; a
 * regex must have the accepted form (redirect-uri.ts), so it admits only the service's own hosts.
 */
function redirectProblems(at: string, o: NonNullable<ClusterConfig['services'][number]['oidc']>, own: Set<string>): string[] {
  const out: string[] = [];
  if (o.callbackUrl && o.consumer !== 'generic') {
    const path = new URL(o.callbackUrl).pathname;
    const want = CONSUMER_CALLBACK_PATH[o.consumer];
    if (path !== want) out.push(`${at}.callbackUrl: "${o.callbackUrl}" must end in ${want}: that is the path ${o.consumer} calls back on`);
  }
  // A login's code goes to this URL: a user:password@ in it is a credential in the blueprint.
  const userinfo = (path: string, url: string) => {
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url))
      out.push(`${path}: "${maskUserinfo(url)}" carries userinfo (user:password@); remove it`);
  };
  if (o.callbackUrl) userinfo(`${at}.callbackUrl`, o.callbackUrl);
  o.redirectUris?.forEach((r, j) => {
    const path = `${at}.redirectUris[${j}].url`;
    if (r.matching === 'strict') {
      // A native app's private-use scheme (RFC 8252 section 7.1: reverse-DNS, so it has a dot, e.g.
      // app.immich:///oauth-callback) is matched as a plain string by Authentik, like any strict URI.
      if (!HTTP_URL.test(r.url) && !PRIVATE_USE_URI.test(r.url))
        out.push(`${path}: ${JSON.stringify(r.url)} is not an http(s) URL nor a native app's private-use URI (com.example.app:/callback)`);
      else userinfo(path, r.url);
      return;
    }
    try {
      new RegExp(r.url);
    } catch {
      out.push(`${path}: ${JSON.stringify(r.url)} is not a regular expression`);
      return;
    }
    // A public client is ArgoCD's with cli (PKCE); only it may call back on loopback over http.
    const why = redirectRegexProblem(r.url, { ownHosts: own, publicClient: o.cli });
    if (why) out.push(`${path}: regex ${JSON.stringify(r.url)} ${why} (accepted form: docs/redirect-uris.md)`);
  });
  return out;
}

/** What the config's active services and groups create, by model and identifying field. */
function generatedIdentities(c: ClusterConfig): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  const add = (model: string, field: string, value: string) => {
    const key = `${model}\u0000${field}`;
    m.set(key, (m.get(key) ?? new Set()).add(value));
  };
  for (const n of c.services.filter((x) => !x.retired).flatMap(integrationsOf)) {
    if (n.kind === 'public') continue;
    add(MODEL.application, 'slug', n.application.slug);
    const p = providerIdentifiers(n);
    for (const [field, value] of Object.entries(p.identifiers)) add(p.model, field, value);
  }
  for (const g of c.groups.filter((x) => !x.retired)) add(MODEL.group, 'name', g.name);
  add(MODEL.group, 'name', c.groupParent);
  return m;
}

/**
 * Foreign objects to delete: each must be a model our blueprints may touch (one of the Authentik
 * API serializers this version ships, lib/upstream/api-schema.ts) and be found by fields that
 * model has; an identifier Authentik does not know would match nothing, or everything.
 */
function retiredObjectProblems(c: ClusterConfig, minor: string, generated: ReadonlyMap<string, Set<string>>): string[] {
  const out: string[] = [];
  const S = apiSchemasOf(minor) as ApiSchemas;
  const models = Object.keys(MODEL_SCHEMAS);
  c.retiredObjects.forEach((o, i) => {
    const at = `retiredObjects[${i}]`;
    const serializer = MODEL_SCHEMAS[o.model];
    if (!serializer) {
      const [near] = nearest(o.model, models, () => 6);
      out.push(
        `${at}.model: "${o.model}" is not a model these blueprints can delete${near ? `; did you mean "${near}"?` : ''} (known: ${models.join(', ')})`,
      );
      return;
    }
    const fields = Object.keys(resolveApiSchema({ $ref: `#/components/schemas/${serializer}` }, S).schema.properties ?? {});
    const ids = Object.entries(o.identifiers);
    if (!ids.length) out.push(`${at}.identifiers: is empty; name the field(s) that find exactly this object (e.g. name or slug)`);
    for (const [field] of ids) {
      if (field !== 'pk' && !fields.includes(field)) {
        out.push(`${at}.identifiers.${field}: ${o.model} has no field "${field}" in Authentik ${minor} (fields: ${fields.join(', ')})`);
      }
    }
    // Deleting what this same config creates would fight it on every sync.
    for (const [field, value] of ids) {
      if (generated.get(`${o.model}\u0000${field}`)?.has(String(value))) {
        out.push(`${at}.identifiers.${field}: ${JSON.stringify(value)} is an object this config creates; retire its service instead`);
      }
    }
  });
  return out;
}

type Service = ClusterConfig['services'][number];

/** Facts every cross-field rule may read, computed once from the whole config before any rule runs. */
interface Facts {
  readonly c: ClusterConfig;
  readonly groupNames: ReadonlySet<string>;
  /** Retired groups are tombstoned: nothing may reference them any more. */
  readonly retiredGroups: ReadonlySet<string>;
  /** A group name for the examples in messages. */
  readonly exampleGroup: string;
  /** Authentik's own host, from authentik.url. */
  readonly authHost: string;
  /** People groups with a ClusterRole (the ones a kubectl client's token can carry). */
  readonly peopleRoleGroups: readonly string[];
  /** Groups named by an active agent service. */
  readonly agentGroups: ReadonlySet<string>;
  readonly agentsActive: number;
  /** Active services whose tokens the apiserver must trust, by kind (their index in services). */
  readonly apiserverClients: ReadonlyArray<{ kind: 'agent' | 'people'; at: number }>;
  /** People groups with a ClusterRole that some active kubectl client admits. */
  readonly kubectlGroups: ReadonlySet<string>;
}

/** The people groups with a ClusterRole that a kubectl service admits (allowedGroups any: all). */
function admittedPeopleGroups(s: Service, peopleRoleGroups: readonly string[]): string[] {
  const list = Array.isArray(s.allowedGroups) ? s.allowedGroups : undefined;
  return peopleRoleGroups.filter((g) => !list || list.includes(g));
}

function factsOf(c: ClusterConfig): Facts {
  const active = c.services.map((s, at) => ({ s, at })).filter(({ s }) => !s.retired);
  const peopleRoleGroups = c.groups.filter((g) => !g.retired && g.members === 'people' && g.kubernetes).map((g) => g.name);
  return {
    c,
    groupNames: new Set(c.groups.map((g) => g.name)),
    retiredGroups: new Set(c.groups.filter((g) => g.retired).map((g) => g.name)),
    exampleGroup: c.groups.find((g) => !g.retired)?.name ?? '<group>',
    // The regex admits any https://<host>; derive() parses it with URL, so a rule proves that works.
    authHost: c.authentik.url.replace(/^https:\/\//, '').replace(/\/.*$/, ''),
    peopleRoleGroups,
    agentGroups: new Set(active.flatMap(({ s }) => (s.agent ? [s.agent.group] : []))),
    agentsActive: active.filter(({ s }) => s.agent).length,
    apiserverClients: active.flatMap(({ s, at }) => [
      ...(s.agent ? [{ kind: 'agent' as const, at }] : []),
      ...(s.kubectl ? [{ kind: 'people' as const, at }] : []),
    ]),
    kubectlGroups: new Set(active.flatMap(({ s }) => (s.kubectl ? admittedPeopleGroups(s, peopleRoleGroups) : []))),
  };
}

/** Why a group reference is wrong (the caller knows it is not an active group). */
function groupRef(f: Facts, g: string): string {
  if (g === f.c.groupParent)
    return `"${g}" is the groupParent, the parent of every managed group; Authentik counts members of child groups as members of the parent, so it would admit every managed group (agents included): list the groups that may enter instead`;
  return f.retiredGroups.has(g) ? `group "${g}" is retired` : `unknown group "${g}" (not in groups)`;
}

const isActiveGroup = (f: Facts, g: string) => f.groupNames.has(g) && !f.retiredGroups.has(g);

/** Values claimed by earlier services in the scan: the first claim wins, later ones are duplicates. */
interface Scan {
  readonly seen: Record<'slug' | 'host' | 'clientId' | 'serviceAccount', Map<string, number>>;
  /** The one active service per values-file consumer (argocd, grafana). */
  readonly consumers: Map<string, number>;
}

function claim(scan: Scan, i: number, kind: keyof Scan['seen'], value: string | undefined, path: string): string[] {
  if (value === undefined) return [];
  const prev = scan.seen[kind].get(value);
  if (prev !== undefined) return [`${path}: duplicate ${kind} "${value}" (also services[${prev}])`];
  scan.seen[kind].set(value, i);
  return [];
}

/** One rule about one service; `i` is its index, `scan` what earlier services claimed. */
type ServiceRule = (s: Service, i: number, f: Facts, scan: Scan) => string[];

const patternsOf = (s: Service) => PATTERNS.filter((p) => s[p] !== undefined);

const servicePatternProblems: ServiceRule = (s, i) => {
  const at = `services[${i}]`;
  const patterns = patternsOf(s);
  if (patterns.length === 0) return [`${at}: has no integration pattern; set exactly one of ${PATTERNS.join(', ')}`];
  // The one pair that shares a host: an OIDC app and a forward-auth app in front of it.
  const oidcBehindProxy = patterns.length === 2 && s.oidc && s.forwardAuth;
  if (patterns.length > 1 && !oidcBehindProxy) {
    return [
      `${at}: has ${patterns.length} integration patterns (${patterns.join(', ')}); set exactly one (only oidc and forwardAuth may share a service)`,
    ];
  }
  return [];
};

const serviceDuplicateProblems: ServiceRule = (s, i, _f, scan) => {
  const at = `services[${i}]`;
  return [
    ...claim(scan, i, 'slug', s.slug, `${at}.slug`),
    ...claim(scan, i, 'host', s.host, `${at}.host`),
    ...(s.oidc ? claim(scan, i, 'clientId', clientIdOf(s), `${at}.oidc.clientId`) : []),
    ...(s.agent || s.kubectl ? claim(scan, i, 'clientId', s.slug, `${at}.slug`) : []),
  ];
};

const serviceHostProblems: ServiceRule = (s, i, f) => {
  const at = `services[${i}]`;
  const out: string[] = [];
  if (s.host === f.authHost) out.push(`${at}.host: "${s.host}" is Authentik's own host`);
  if (s.slug === AUTHENTIK_ROUTE && (s.forwardAuth || s.public || s.routes)) {
    out.push(
      `${at}.slug: "${AUTHENTIK_ROUTE}" is reserved: the edge Traefik would get two routers named "${AUTHENTIK_ROUTE}" (Authentik's own and this service's); pick another slug`,
    );
  }
  const needsHost = s.oidc || s.forwardAuth || s.public;
  if (needsHost && !s.host) out.push(`${at}.host: is required for ${patternsOf(s).join(', ')} services`);
  if (s.agent && s.host) out.push(`${at}.host: an agent has no host; remove it`);
  if (s.kubectl && s.host) out.push(`${at}.host: a kubectl client has no host (kubelogin calls back to localhost); remove it`);
  return out;
};

const serviceAccessProblems: ServiceRule = (s, i, f) => {
  const at = `services[${i}]`;
  const out: string[] = [];
  if (s.allowedGroups && (s.agent || s.public)) out.push(`${at}.allowedGroups: only applies to oidc, forwardAuth and kubectl services`);
  // Open access must be a visible decision: an omitted list used to mean "everyone" by accident.
  if (!s.allowedGroups && !s.retired && (s.oidc || s.forwardAuth)) {
    out.push(
      `${at}.allowedGroups: is required: name the groups that may use ${s.slug} (allowedGroups: [${f.exampleGroup}]) or open it to every authenticated user on purpose (allowedGroups: any)`,
    );
  }
  const allowed = s.allowedGroups === 'any' ? [] : (s.allowedGroups ?? []);
  allowed.forEach((g, j) => {
    if (!isActiveGroup(f, g)) out.push(`${at}.allowedGroups[${j}]: ${groupRef(f, g)}`);
    else if (allowed.indexOf(g) !== j) out.push(`${at}.allowedGroups[${j}]: duplicate group "${g}"`);
  });
  return out;
};

type Oidc = NonNullable<Service['oidc']>;

/** The callback: generic consumers name it, the others have a fixed one (redirectProblems: the rest). */
function oidcCallbackProblems(c: ClusterConfig, s: Service, at: string, o: Oidc): string[] {
  const out: string[] = [];
  if (o.consumer === 'generic' && !o.callbackPath && !o.callbackUrl) {
    out.push(`${at}.oidc.callbackPath: is required for consumer "generic" (or write the whole URL in oidc.callbackUrl)`);
  }
  if (o.callbackPath && o.callbackUrl) out.push(`${at}.oidc.callbackPath: set either callbackPath or callbackUrl, not both`);
  if (o.consumer !== 'generic' && o.callbackPath) out.push(`${at}.oidc.callbackPath: is fixed for consumer "${o.consumer}"; remove it`);
  out.push(...redirectProblems(`${at}.oidc`, o, ownHostsOf(c, s)));
  return out;
}

/** cli makes ArgoCD's own client public (PKCE), shared by the UI and the CLI: no secret exists. */
function oidcClientKindProblems(at: string, o: Oidc): string[] {
  const out: string[] = [];
  // Found by name with no clientId, the live client_id stays; a consumer config we generate needs to know it.
  if (o.providerFoundBy === 'name' && o.clientId === undefined && o.consumer !== 'generic')
    out.push(
      `${at}.oidc.clientId: is required with providerFoundBy: name for consumer "${o.consumer}", whose generated config carries the client id`,
    );
  if (o.cli && o.consumer !== 'argocd') out.push(`${at}.oidc.cli: only the ArgoCD consumer has a CLI callback`);
  else if (o.cli && (o.clientSecret || o.clientSecretRotation)) {
    out.push(
      `${at}.oidc.${o.clientSecret ? 'clientSecret' : 'clientSecretRotation'}: with cli the ArgoCD client is public (PKCE) and has no secret; remove it`,
    );
  }
  if (o.secretMode === 'existingSecret') {
    if (o.cli) out.push(`${at}.oidc.secretMode: with cli the ArgoCD client is public (PKCE) and has no secret; remove it`);
    // No blueprint reads the secret, so no marker can make Authentik re-read it.
    else if (o.clientSecretRotation) {
      out.push(
        `${at}.oidc.clientSecretRotation: with secretMode existingSecret Authentik keeps the secret it generated and no blueprint reads one; rotate it in Authentik and copy it again (SECRETS.md), and remove the marker`,
      );
    }
  }
  return out;
}

/** Where the consumer reads its client secret from, and that one values file serves one consumer. */
function oidcConsumerProblems(c: ClusterConfig, s: Service, i: number, o: Oidc, scan: Scan): string[] {
  const at = `services[${i}]`;
  const out: string[] = [];
  if (!s.retired && (o.consumer === 'argocd' || o.consumer === 'grafana')) {
    const prev = scan.consumers.get(o.consumer);
    if (prev !== undefined)
      out.push(`${at}.oidc.consumer: a second active "${o.consumer}" consumer (services[${prev}] is one); one values file each`);
    else scan.consumers.set(o.consumer, i);
  }
  if (o.consumer === 'argocd' && o.clientSecret && o.clientSecret.namespace !== c.argocd.namespace) {
    out.push(
      `${at}.oidc.clientSecret.namespace: "${o.clientSecret.namespace}" is not ArgoCD's namespace "${c.argocd.namespace}": ArgoCD resolves $<secret>:<key> only in its own namespace`,
    );
  }
  if (o.clientSecret && o.clientSecret.namespace === c.authentik.namespace && o.clientSecret.name === c.authentik.secret.name) {
    out.push(
      `${at}.oidc.clientSecret: points into Authentik's own Secret "${c.authentik.secret.name}"; give the consumer a Secret of its own`,
    );
  }
  if (o.consumer === 'grafana' && o.clientSecret && o.clientSecret.key !== GRAFANA_ENV) {
    out.push(
      `${at}.oidc.clientSecret.key: "${o.clientSecret.key}" must be exactly ${GRAFANA_ENV}: envFromSecret turns each key into an env var of the same name`,
    );
  }
  return out;
}

const serviceOidcProblems: ServiceRule = (s, i, f, scan) => {
  if (!s.oidc) return [];
  const at = `services[${i}]`;
  return [
    ...oidcCallbackProblems(f.c, s, at, s.oidc),
    ...oidcClientKindProblems(at, s.oidc),
    ...oidcConsumerProblems(f.c, s, i, s.oidc, scan),
  ];
};

const serviceAgentProblems: ServiceRule = (s, i, f, scan) => {
  if (!s.agent) return [];
  const at = `services[${i}]`;
  const out: string[] = [];
  if (!isActiveGroup(f, s.agent.group)) out.push(`${at}.agent.group: ${groupRef(f, s.agent.group)}`);
  const account = serviceAccountOf(s);
  const accountPath = s.agent.serviceAccount ? `${at}.agent.serviceAccount` : `${at}.slug`;
  out.push(...claim(scan, i, 'serviceAccount', account, accountPath));
  // The blueprint would turn an existing user into this service account and replace its groups.
  if (account === 'akadmin' || account.startsWith('ak-')) {
    out.push(`${accountPath}: "${account}" is an Authentik built-in user name (akadmin, ak-*); pick another service account name`);
  }
  return out;
};

const serviceKubectlProblems: ServiceRule = (s, i, f) => {
  if (!s.kubectl || s.retired || admittedPeopleGroups(s, f.peopleRoleGroups).length) return [];
  const list = Array.isArray(s.allowedGroups) ? s.allowedGroups : undefined;
  return [
    `services[${i}].kubectl: admits no people group with a ClusterRole (${f.peopleRoleGroups.length && list ? `allowedGroups: ${list.join(', ')}` : 'no people group has groups[].kubernetes'}), so its tokens match no ClusterRoleBinding`,
  ];
};

/** Per service, in this order (the order of its messages). */
const SERVICE_RULES: ReadonlyArray<ServiceRule> = [
  servicePatternProblems,
  serviceDuplicateProblems,
  serviceHostProblems,
  serviceAccessProblems,
  serviceOidcProblems,
  serviceAgentProblems,
  serviceKubectlProblems,
];

function serviceProblems(f: Facts): string[] {
  const scan: Scan = {
    seen: { slug: new Map(), host: new Map(), clientId: new Map(), serviceAccount: new Map() },
    consumers: new Map(),
  };
  return f.c.services.flatMap((s, i) => SERVICE_RULES.flatMap((rule) => rule(s, i, f, scan)));
}

function groupNameProblems({ c }: Facts): string[] {
  const seen = new Set<string>();
  return c.groups.flatMap((g, i) => {
    const out: string[] = [];
    if (seen.has(g.name)) out.push(`groups[${i}].name: duplicate group "${g.name}"`);
    if (g.name === c.groupParent) out.push(`groups[${i}].name: "${g.name}" is the groupParent; it cannot also be a child group`);
    seen.add(g.name);
    return out;
  });
}

function authentikUrlProblems({ c, authHost }: Facts): string[] {
  if (authHost.includes('@')) return [`authentik.url: "${maskUserinfo(c.authentik.url)}" carries userinfo (user@); remove it`];
  if (!DNS_NAME.test(authHost)) return [`authentik.url: "${authHost}" in "${c.authentik.url}" is not a DNS name`];
  return [];
}

/**
 * A client-credentials token only carries the groups its service account is a member of: a
 * binding for an agents group nobody's account joins can never match a token (docs/field-traps.md#rbac-subjects).
 */
function agentGroupProblems({ c, agentGroups }: Facts): string[] {
  return c.groups.flatMap((g, i) =>
    g.members === 'agents' && g.kubernetes && !agentGroups.has(g.name)
      ? [
          `groups[${i}].members: "${g.name}" is for agents and bound to ClusterRole "${g.kubernetes}", but no active agent service names it in agent.group, so no token ever carries it`,
        ]
      : [],
  );
}

/** The same for people: only a kubectl client's token carries a person's groups to the apiserver. */
function peopleGroupProblems({ c, kubectlGroups }: Facts): string[] {
  return c.groups.flatMap((g, i) =>
    !g.retired && g.members === 'people' && g.kubernetes && !kubectlGroups.has(g.name)
      ? [
          `groups[${i}].kubernetes: people group "${g.name}" is bound to ClusterRole "${g.kubernetes}", but no active kubectl service admits it, so no person's token ever carries it; add a service with kubectl (and the group in its allowedGroups) or remove kubernetes`,
        ]
      : [],
  );
}

function entryPointProblems({ c }: Facts): string[] {
  const entryPoints = c.traefik.entryPoints;
  return entryPoints.flatMap((e, i) => (entryPoints.indexOf(e) !== i ? [`traefik.entryPoints[${i}]: duplicate entry point "${e}"`] : []));
}

function apiServerAuthProblems({ c, apiserverClients, agentsActive }: Facts): string[] {
  if (apiserverClients.length <= 1 || c.talos?.apiServerAuth !== 'flags') return [];
  const people = apiserverClients.filter((x) => x.kind === 'people').map((x) => `services[${x.at}]`);
  return [
    people.length
      ? `talos.apiServerAuth: "flags" takes one issuer and one client id (--oidc-issuer-url, --oidc-client-id), but people at kubectl (${people.join(', ')}) need their own public client next to ${apiserverClients.length - people.length ? "the agents' clients" : 'each other'}; use "structured" (several JWT authenticators)`
      : `talos.apiServerAuth: "flags" allows one issuer but ${agentsActive} agents are configured; use "structured"`,
  ];
}

function loadBalancerProblems({ c }: Facts): string[] {
  const lb = c.authentik.loadBalancer;
  const out: string[] = [];
  if (!lb.pool.some((cidr) => ipInCidr(lb.ip, cidr)))
    out.push(`authentik.loadBalancer.ip: "${lb.ip}" is outside the pool ${lb.pool.join(', ')}`);
  if (lb.httpPort === lb.httpsPort) out.push(`authentik.loadBalancer.httpsPort: equals httpPort (${lb.httpPort})`);
  return out;
}

/** The Authentik version: supported, and then what it knows (models, reserved slugs) and breaks. */
function authentikVersionProblems({ c, agentsActive }: Facts): string[] {
  const chartVersion = c.authentik.chart.version;
  const minor = authentikMinor(chartVersion);
  if (!isSupportedMinor(minor))
    return [`authentik.chart.version: "${chartVersion}" is Authentik ${minor}; supported are ${SUPPORTED_RANGE}`];
  const out = [...retiredObjectProblems(c, minor, generatedIdentities(c)), ...reservedSlugProblems(c, minor)];
  if (agentsActive > 0) {
    for (const d of defectsHit(chartVersion, new Set(['agents']))) {
      out.push(`authentik.chart.version: "${chartVersion}" breaks agents (${d.from}–${d.to}: ${d.what}); use ${d.fixedIn} or newer`);
    }
  }
  return out;
}

function argocdVersionProblems({ c }: Facts): string[] {
  if (versionAtLeast(c.argocd.chart.version, 7, 0)) return [];
  return [`argocd.chart.version: "${c.argocd.chart.version}" is older than argo-cd 7.0, whose configs.* values layout this emits`];
}

function authentikSecretProblems({ c }: Facts): string[] {
  const out: string[] = [];
  if (c.authentik.namespace === c.argocd.namespace) {
    out.push(
      `authentik.namespace: "${c.authentik.namespace}" is also ArgoCD's namespace; Authentik needs its own (its Namespace object gets privileged pod-security labels)`,
    );
  }
  if (c.authentik.secret.secretKey === c.authentik.secret.bootstrapPassword) {
    out.push(
      `authentik.secret.bootstrapPassword: "${c.authentik.secret.bootstrapPassword}" is already used for another value in the same Secret`,
    );
  }
  if (c.authentik.postgresqlSecret.name === c.authentik.secret.name && !c.authentik.postgresqlSecret.sharesAuthentikSecret) {
    out.push(
      `authentik.postgresqlSecret.name: "${c.authentik.postgresqlSecret.name}" is Authentik's own Secret; PostgreSQL mounts its Secret whole, so give its password a Secret of its own (or, adopting a cluster that runs so, set authentik.postgresqlSecret.sharesAuthentikSecret: true)`,
    );
  }
  return out;
}

/** Rules that span fields (uniqueness, references, versions), in the order their messages appear. */
const SEMANTIC_RULES: ReadonlyArray<(f: Facts) => string[]> = [
  ({ c }) => identityCollisions(c),
  ({ c }) => [...configMapNameProblems(c), ...releaseNameProblems(c)],
  groupNameProblems,
  ({ c }) => groupRuleProblems(c),
  authentikUrlProblems,
  serviceProblems,
  agentGroupProblems,
  peopleGroupProblems,
  entryPointProblems,
  apiServerAuthProblems,
  loadBalancerProblems,
  authentikVersionProblems,
  argocdVersionProblems,
  ({ c }) => ciliumProblems(c),
  ({ c }) => talosProblems(c),
  authentikSecretProblems,
  ({ c, authHost }) => edgeProblems(c, authHost),
  ({ c, authHost }) => migrationProblems(c, authHost),
  ({ c }) => valuesLayeringProblems(c),
];

function semanticProblems(c: ClusterConfig): string[] {
  const f = factsOf(c);
  return SEMANTIC_RULES.flatMap((rule) => rule(f));
}

/** Validate raw input (from TS, YAML or JSON). Throws ConfigError listing every problem. */
export function parseConfig(input: unknown): ClusterConfig {
  // jitless: zod's compiled fast path costs more to build than one parse of one config saves.
  const r = ClusterConfigSchema.safeParse(input, { jitless: true });
  if (!r.success) {
    const lines = r.error.issues.flatMap((i) => zodLine(input, i).split('\n'));
    throw new ConfigError([...new Set(lines)]);
  }
  const problems = [...gitopsProblems(input, r.data), ...semanticProblems(r.data)];
  if (problems.length) throw new ConfigError(problems);
  // Names are derived from a valid config only; the construct that renders it reuses this model.
  const m = deriveOnce(r.data);
  const collisions = [...derivedNameCollisions(r.data, m), ...secretsModeProblems(r.data, m)];
  if (collisions.length) throw new ConfigError(collisions);
  return r.data;
}

/** Cilium's version decides what it can do with the Authentik Service (no block: nothing asked of it). */
function ciliumProblems(c: ClusterConfig): string[] {
  const cilium = c.cilium;
  if (!cilium) return [];
  const out: string[] = [];
  if (!versionAtLeast(cilium.version, 1, 13)) out.push(`cilium.version: "${cilium.version}" has no LB-IPAM (needs Cilium 1.13 or newer)`);
  if (cilium.l2Interfaces && !versionAtLeast(cilium.version, 1, 14)) {
    out.push(`cilium.l2Interfaces: Cilium ${cilium.version} has no L2 announcements (CiliumL2AnnouncementPolicy needs 1.14 or newer)`);
  }
  cilium.l2Interfaces?.forEach((re, i) => {
    try {
      new RegExp(re);
    } catch {
      out.push(`cilium.l2Interfaces[${i}]: ${JSON.stringify(re)} is not a regular expression`);
    }
  });
  return out;
}

/** The apiserver form Talos's version accepts (no block: the operator configures the apiserver). */
function talosProblems(c: ClusterConfig): string[] {
  const talos = c.talos;
  if (!talos) return [];
  const out: string[] = [];
  if (versionAtLeast(talos.version, 1, 14) && talos.apiServerAuth === 'flags') {
    out.push(
      `talos.apiServerAuth: "flags" is rejected by Talos ${talos.version} (1.14+ configures the apiserver through the KubeAuthenticationConfig document); use "structured"`,
    );
  }
  if (talos.apiServerAuth === 'structured' && !versionAtLeast(talos.version, 1, 9)) {
    out.push(
      `talos.apiServerAuth: "structured" needs Talos 1.9+ (Kubernetes 1.30+, AuthenticationConfiguration v1beta1), not "${talos.version}"`,
    );
  }
  return out;
}
