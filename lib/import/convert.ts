// Pre-2026.x blueprint fields that have exactly one 2026.x meaning, converted on import (a table:
// one row per old form). Each conversion prints a line saying what it rewrote and what the running
// Authentik does with the old form today, so the plan's change is the fix, not a surprise. A field
// whose meaning is not plain (both `parent` and `parents`, a `parent` that is no reference) is refused.
// How Authentik treats each old form (docs/field-traps.md#provider-fields-2026):
// - `parent`: core/api/groups.py GroupSerializer has `parents` only; DRF drops unknown keys.
// - `redirect_uris` string: providers/oauth2/api/providers.py takes a list (RedirectURISerializer
//   many=True), so the entry fails validation and blueprints/v1/importer.py Importer.validate
//   applies nothing of that blueprint. Authentik's own migration (oauth2 0024
//   migrate_redirect_uris) split the string on newlines, `*` and `.*` as regex, every other line strict.
// - no `invalidation_flow`: core/api/providers.py ProviderSerializer requires it on create; an
//   existing provider is updated partially (importer.py Importer._validate_single) and keeps its own.
import { Find, KeyOf } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import { isRecord } from '../base/records';

/** A blueprint entry or its attrs as parsed YAML (read.ts's Doc; spelled out so read.ts, which calls convertEntry, is not imported back). */
type Fields = Record<string, unknown>;

/** Authentik's default invalidation flow (its blueprint default/flow-default-provider-invalidation.yaml). */
export const DEFAULT_INVALIDATION_FLOW = new Find(MODEL.flow, ['slug', 'default-provider-invalidation-flow']);

const PROVIDERS: ReadonlySet<string> = new Set([MODEL.oauth2Provider, MODEL.proxyProvider]);
const isRef = (v: unknown): boolean => v instanceof KeyOf || v instanceof Find || typeof v === 'string' || typeof v === 'number';
const refText = (v: unknown): string =>
  v instanceof KeyOf
    ? `!KeyOf ${v.id}`
    : v instanceof Find
      ? `!Find [${v.model}, ${v.query.map((q) => `[${q.join(', ')}]`).join(', ')}]`
      : String(v);

/** A converted field: the line to print; or `refuse`: no unambiguous 2026.x form (bad input). */
type Outcome = { line: string } | { refuse: string };

interface Conversion {
  /** Whether this entry carries the old form. */
  applies(e: Fields, attrs: Fields): boolean;
  /** Rewrites attrs in place; `who` names the object for the line. */
  convert(attrs: Fields, who: string): Outcome;
}

function parentToParents(attrs: Fields, who: string): Outcome {
  const parent = attrs.parent;
  if (attrs.parents !== undefined)
    return { refuse: 'sets both "parent" (before 2026.x) and "parents"; keep one (2026.x reads "parents" only)' };
  if (parent !== null && !isRef(parent))
    return { refuse: '"parent" (before 2026.x) is not a reference to one group; write "parents" as a list of group references' };
  delete attrs.parent;
  attrs.parents = parent === null ? [] : [parent];
  const was = parent === null ? 'parent: null' : `parent: ${refText(parent)}`;
  return {
    line: `converted "${was}" to "parents: [${parent === null ? '' : refText(parent)}]"; Authentik 2026.x silently ignores "parent", so the hierarchy was never applied: ${who} has no parent in Authentik now (the plan shows the fix as a change)`,
  };
}

function redirectUrisToList(attrs: Fields, who: string): Outcome {
  const lines = String(attrs.redirect_uris)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  attrs.redirect_uris = lines.map((url) => ({ matching_mode: url === '*' || url === '.*' ? 'regex' : 'strict', url }));
  return {
    line: `converted the newline-separated redirect_uris string (${lines.length} URIs) to the list form, each strict ("*" and ".*" regex, as Authentik's own migration did); Authentik 2026.x refuses the string, so this blueprint does not apply today and ${who} keeps whatever it had before`,
  };
}

function defaultInvalidationFlow(attrs: Fields, who: string): Outcome {
  attrs.invalidation_flow = DEFAULT_INVALIDATION_FLOW;
  return {
    line: `set the missing invalidation_flow to Authentik's default (${refText(DEFAULT_INVALIDATION_FLOW)}); Authentik 2026.x requires it when it creates ${who} (the blueprint fails then), an existing one keeps its current flow`,
  };
}

const CONVERSIONS: ReadonlyArray<Conversion> = [
  { applies: (e, a) => e.model === MODEL.group && 'parent' in a, convert: parentToParents },
  { applies: (e, a) => PROVIDERS.has(String(e.model)) && typeof a.redirect_uris === 'string', convert: redirectUrisToList },
  {
    applies: (e, a) => PROVIDERS.has(String(e.model)) && e.state !== 'absent' && a.invalidation_flow === undefined,
    convert: defaultInvalidationFlow,
  },
];

/** The object an entry describes, for the lines: `group "root-admins"`. */
const whoOf = (e: Fields, attrs: Fields): string => {
  const ids = isRecord(e.identifiers) ? e.identifiers : {};
  const name = ids.name ?? ids.slug ?? ids.client_id ?? attrs.name;
  const kind = String(e.model).split('.').pop() ?? 'object';
  return typeof name === 'string' ? `${kind} "${name}"` : `this ${kind}`;
};

/**
 * Converts every old form in one entry (attrs rewritten in place); returns the printed lines, or
 * the reason it is refused (the first field without an unambiguous 2026.x meaning).
 */
export function convertEntry(e: Fields): { lines: string[]; refuse?: string } {
  if (!isRecord(e.attrs)) return { lines: [] };
  const attrs = e.attrs;
  const lines: string[] = [];
  for (const c of CONVERSIONS) {
    if (!c.applies(e, attrs)) continue;
    const out = c.convert(attrs, whoOf(e, attrs));
    if ('refuse' in out) return { lines, refuse: out.refuse };
    lines.push(out.line);
  }
  return { lines };
}
