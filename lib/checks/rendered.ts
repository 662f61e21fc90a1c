// Small readers over a SynthResult shared by the checks: rendered files and documents, Kubernetes
// objects, blueprint entries and tags. Checks read what was RENDERED wherever they can, so a
// renderer that drifts from the model is caught, not trusted.
import type { SynthResult } from '../output/render';
import type { OutputFile } from '../base/file-text';
import type { Blueprint, BlueprintEntry } from '../upstream/blueprint-types';
import { Find, KeyOf, isTag } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import { valueAt, asString } from '../base/records';
import { loadYamlShared } from '../readback/yaml';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && !isTag(v);

export const fileAt = (r: SynthResult, path: string): OutputFile | undefined => r.files.find((f) => f.path === path);

/** The first document of a rendered YAML file (undefined when the file or document is absent). */
export const docAt = (r: SynthResult, path: string): unknown => fileAt(r, path)?.docs?.[0];

/** A value for a message: a string as it is, anything else as JSON (never "[object Object]"). */
export const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface K8sObject {
  file: string;
  obj: Obj & { kind: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
}

/** Every rendered Kubernetes object (a document with apiVersion and kind), with its file. */
export function k8sObjects(r: SynthResult, kind?: string): K8sObject[] {
  return r.files.flatMap((f) =>
    (f.docs ?? [])
      .filter((d): d is K8sObject['obj'] => isObj(d) && typeof d.kind === 'string' && typeof d.apiVersion === 'string')
      .filter((d) => kind === undefined || d.kind === kind)
      .map((obj) => ({ file: f.path, obj })),
  );
}

/** Depth-first over plain objects and arrays; tags and scalars are leaves. `path` is dotted. */
export function walk(v: unknown, visit: (value: unknown, path: string, key: string) => void, path = '', key = ''): void {
  visit(v, path, key);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, visit, `${path}[${i}]`, ''));
  else if (isObj(v)) for (const k of Object.keys(v)) walk(v[k], visit, path ? `${path}.${k}` : k, k);
}

/** Every value stored under `key`, anywhere in the document. */
export function valuesOfKey(doc: unknown, key: string): Array<{ value: unknown; path: string }> {
  const out: Array<{ value: unknown; path: string }> = [];
  walk(doc, (value, path, k) => {
    if (k === key) out.push({ value, path });
  });
  return out;
}

/**
 * Parse YAML text that is expected to hold YAML (a nested config string); undefined if it does not.
 * Several checks read the same texts (the Talos patch's AuthenticationConfiguration, oidc.config),
 * and so does the secrets scan: one shared parse each (loadYamlShared), frozen, read only.
 */
export function parseNested(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return loadYamlShared(text);
  } catch {
    return undefined;
  }
}

// --- blueprints ---------------------------------------------------------------------------------

export const where = (bp: Blueprint) => `blueprint ${bp.fileName} (ConfigMap ${bp.configMapName})`;

export const blueprintNamed = (r: SynthResult, name: string) => r.blueprints.find((b) => b.name === name);

/** Entries that exist on the server after apply (tombstones excluded), with their blueprint. */
export function presentEntries(r: SynthResult, model?: string): Array<{ bp: Blueprint; e: BlueprintEntry }> {
  return r.blueprints.flatMap((bp) =>
    bp.entries.filter((e) => e.state !== 'absent' && (model === undefined || e.model === model)).map((e) => ({ bp, e })),
  );
}

/** The entry a `!KeyOf` points at, within the same file. */
export const keyOfTarget = (bp: Blueprint, ref: unknown) => (ref instanceof KeyOf ? bp.entries.find((e) => e.id === ref.id) : undefined);

/** Every `!Find [authentik_core.group, [name, <g>]]` under a value. */
export function groupFinds(v: unknown): string[] {
  const out: string[] = [];
  const visit = (x: unknown): void => {
    if (x instanceof Find) {
      if (x.model === MODEL.group) for (const [field, value] of x.query) if (field === 'name') out.push(value);
    } else if (Array.isArray(x)) x.forEach(visit);
    else if (isObj(x)) Object.values(x).forEach(visit);
  };
  visit(v);
  return out;
}

export type OAuth2Hit = { bp: Blueprint; provider: BlueprintEntry; slug: string | undefined };

/**
 * The OAuth2 providers by client_id, each with the application slug serving it (the issuer's
 * slug). Build it once per check: looking a provider up by scanning for every app is quadratic.
 */
export function oauth2ByClientId(r: SynthResult): Map<unknown, OAuth2Hit> {
  // The first application of each blueprint that serves a provider (by its !KeyOf), one pass.
  const servedBy = new Map<Blueprint, Map<string, BlueprintEntry>>();
  for (const { bp, e } of presentEntries(r, MODEL.application)) {
    if (!(e.attrs?.provider instanceof KeyOf)) continue;
    const apps = servedBy.get(bp) ?? new Map<string, BlueprintEntry>();
    if (!apps.has(e.attrs.provider.id)) apps.set(e.attrs.provider.id, e);
    servedBy.set(bp, apps);
  }
  const index = new Map<unknown, OAuth2Hit>();
  // A provider found by name that keeps its live client_id (services[].oidc.providerFoundBy) answers for its app's clientId.
  const keptByName = new Map(r.model.oidcApps.filter((a) => a.clientIdKept).map((a) => [a.providerName, a.clientId]));
  for (const { bp, e } of presentEntries(r, MODEL.oauth2Provider)) {
    const clientId = e.identifiers.client_id ?? e.attrs?.client_id ?? keptByName.get(asString(e.identifiers.name) ?? '');
    if (index.has(clientId)) continue;
    const app = e.id === undefined ? undefined : servedBy.get(bp)?.get(e.id);
    index.set(clientId, { bp, provider: e, slug: asString(app?.identifiers.slug) });
  }
  return index;
}

/** The `url`s of a provider's redirect_uris, and whether one admits `url`. */
export function redirectUris(provider: BlueprintEntry): Array<{ matching_mode?: unknown; url?: unknown }> {
  return asArray(provider.attrs?.redirect_uris).filter(isObj);
}
export function redirectAllows(provider: BlueprintEntry, url: string): boolean {
  return redirectUris(provider).some((u) => {
    if (typeof u.url !== 'string') return false;
    if (u.matching_mode === 'regex') {
      try {
        // Authentik matches a regex redirect URI against the whole URI (re.fullmatch).
        return new RegExp(`^(?:${u.url})$`).test(url);
      } catch {
        return false;
      }
    }
    return u.url === url;
  });
}

export const list = (xs: ReadonlyArray<string>) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : '(none)');

/** What a rendered Talos file tells the apiserver about one issuer. */
export interface ApiserverOidc {
  issuer: string;
  clientId?: string;
  groupsPrefix: string;
  groupsClaim?: string;
}

/**
 * The apiserver OIDC settings in one Talos document, whatever its form: `--oidc-*` extraArgs, an
 * AuthenticationConfiguration in machine.files content, a KubeAuthenticationConfig document, or
 * any of these as text inside an Omni ConfigPatch's spec.data.
 */
export function apiserverOidc(doc: unknown): ApiserverOidc[] {
  const out: ApiserverOidc[] = [];
  const fromJwt = (jwt: unknown) => {
    for (const j of asArray(jwt)) {
      out.push({
        issuer: String(valueAt(j, 'issuer', 'url')),
        clientId: asString(asArray(valueAt(j, 'issuer', 'audiences'))[0]),
        groupsPrefix: asString(valueAt(j, 'claimMappings', 'groups', 'prefix')) ?? '',
        groupsClaim: asString(valueAt(j, 'claimMappings', 'groups', 'claim')),
      });
    }
  };
  walk(doc, (v) => {
    if (isObj(v) && typeof v['oidc-issuer-url'] === 'string') {
      out.push({
        issuer: v['oidc-issuer-url'],
        clientId: asString(v['oidc-client-id']),
        groupsPrefix: asString(v['oidc-groups-prefix']) ?? '',
        groupsClaim: asString(v['oidc-groups-claim']),
      });
    }
  });
  for (const { value } of valuesOfKey(doc, 'content')) {
    const inner = parseNested(value);
    if (valueAt(inner, 'kind') === 'AuthenticationConfiguration') fromJwt(valueAt(inner, 'jwt'));
  }
  if (valueAt(doc, 'kind') === 'KubeAuthenticationConfig') fromJwt(valueAt(doc, 'configuration', 'jwt'));
  const data = valueAt(doc, 'spec', 'data');
  if (typeof data === 'string' && valueAt(doc, 'metadata', 'type') !== undefined) out.push(...apiserverOidc(parseNested(data)));
  return out;
}
