// Which Authentik releases unified-auth supports and what differs between them, in one module so an
// Authentik upgrade is reviewed in one place: the supported range (one API-schema extract per minor),
// the API differences between minors with how the output handles each
// (docs/upgrades.md shows the same table), and the known defects synth refuses.
import api2026_2 from '../../imports/authentik-api-2026.2.json';
import api2026_5 from '../../imports/authentik-api-2026.5.json';
import api2026_8 from '../../imports/authentik-api-2026.8.json';

/** One minor's extract of @goauthentik/api (bin/import-authentik-api.cjs). */
export interface ApiExtract {
  package: string;
  /** The @goauthentik/api release it was extracted from. */
  version: string;
  schemas: Readonly<Record<string, unknown>>;
}

/** Oldest first. Adding a minor: an npm alias, its extract, a row here, then the differences test says what changed. */
const SUPPORTED: ReadonlyArray<{ minor: string; api: ApiExtract }> = [
  { minor: '2026.2', api: api2026_2 },
  { minor: '2026.5', api: api2026_5 },
  { minor: '2026.8', api: api2026_8 },
];

export const SUPPORTED_MINORS: ReadonlyArray<string> = SUPPORTED.map((s) => s.minor);

/** The chart a new cluster gets when `authentik.chart.version` is left out: the newest supported release. */
export const DEFAULT_AUTHENTIK_CHART_VERSION = '2026.8.0';

/** "2026.2.x, 2026.5.x or 2026.8.x", for messages. */
export const SUPPORTED_RANGE = `${SUPPORTED_MINORS.slice(0, -1)
  .map((m) => `${m}.x`)
  .join(', ')} or ${SUPPORTED_MINORS.at(-1)}.x`;

/** `2026.2.3` -> `2026.2`. The authentik chart's version is its Authentik version (appVersion). */
export function authentikMinor(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}

export function isSupportedMinor(minor: string): boolean {
  return SUPPORTED_MINORS.includes(minor);
}

/** The API extract blueprints of `minor` are validated against. */
export function apiExtractOf(minor: string): ApiExtract {
  const found = SUPPORTED.find((s) => s.minor === minor);
  if (found === undefined) throw new Error(`Authentik ${minor} is not supported (${SUPPORTED_RANGE})`);
  return found.api;
}

export function apiSchemasOf(minor: string): Readonly<Record<string, unknown>> {
  return apiExtractOf(minor).schemas;
}

/** Numeric comparison of x.y.z versions (a pre-release suffix is ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

// ------------------------------------------------------------------------------------------------
// API differences between supported minors, in the Request serializers of the models unified-auth
// emits. test/model/authentik-versions.test.ts diffs the installed schemas and fails on any difference
// this table does not list (and on any row no schema shows), so the table is complete by test.

export type DifferenceKind =
  'field added' | 'field removed' | 'now required' | 'no longer required' | 'values added' | 'values removed' | 'changed';

export interface SchemaDifference {
  /** The first minor that has it. */
  since: string;
  /** `<Request serializer>.<field>`, `[]` for list items (e.g. `OAuth2ProviderRequest.redirect_uris[].redirect_uri_type`). */
  path: string;
  change: DifferenceKind;
  /** For `values added`/`values removed`: the enum values; for `changed`: `keyword: old -> new`. */
  detail?: string;
  /** What unified-auth emits because of it, per minor. */
  handling: string;
}

export const SCHEMA_DIFFERENCES: ReadonlyArray<SchemaDifference> = [
  {
    since: '2026.5',
    path: 'OAuth2ProviderRequest.grant_types',
    change: 'field added',
    handling:
      'Set on every OAuth2 provider from 2026.5, so no grant depends on the default: the agent provider lists only `client_credentials`, OIDC providers `authorization_code` and `refresh_token` (a grant enabled by hand in the UI is removed). Not emitted before 2026.5 (the field does not exist there).',
  },
  {
    since: '2026.8',
    path: 'OAuth2ProviderRequest.grant_types[]',
    change: 'values added',
    detail: 'urn:ietf:params:oauth:grant-type:token-exchange',
    handling: 'Not used: no configured client exchanges tokens.',
  },
  {
    since: '2026.5',
    path: 'OAuth2ProviderRequest.redirect_uris[].redirect_uri_type',
    change: 'field added',
    handling: 'Not emitted: every redirect URI unified-auth writes is a login callback, the default `authorization` type.',
  },
  {
    since: '2026.5',
    path: 'ApplicationRequest.meta_hide',
    change: 'field added',
    handling: 'Not emitted: applications keep the default (shown in the user library), as on 2026.2.',
  },
];

/** Whether `minor` already has the difference at `path` (e.g. a field added in a later minor). */
export function minorHas(minor: string, path: string, change: DifferenceKind = 'field added'): boolean {
  const d = SCHEMA_DIFFERENCES.find((x) => x.path === path && x.change === change);
  if (d === undefined) throw new Error(`no ${change} difference ${path} in SCHEMA_DIFFERENCES`);
  return compareVersions(`${minor}.0`, `${d.since}.0`) >= 0;
}

/** `grant_types` of an OAuth2 provider, or undefined where the minor has no such field. */
export function oauth2GrantTypes(minor: string, kind: 'agent' | 'oidc'): string[] | undefined {
  if (!minorHas(minor, 'OAuth2ProviderRequest.grant_types')) return undefined;
  return kind === 'agent' ? ['client_credentials'] : ['authorization_code', 'refresh_token'];
}

/**
 * Minor gates (docs/upgrades.md#minor-gates): a blueprint model each minor introduced. A file
 * written for that minor names it in an entry that never applies (condition false), so a worker of
 * an older minor fails the whole file: Importer._apply_models (blueprints/v1/importer.py) looks
 * every entry's model up first and fails the file when one does not exist. A failed apply records
 * no hash, so the upgraded worker applies the file at its startup discovery (blueprints/apps.py:
 * blueprints_discovery is scheduled with send_on_startup). 2026.8 brings no blueprint model, and
 * nothing unified-auth writes differs between 2026.5 and 2026.8.
 */
export const MINOR_GATES: ReadonlyArray<{ since: string; model: string }> = [
  // enterprise/stages/account_lockdown (2026.5 release notes: Account Lockdown is new).
  { since: '2026.5', model: 'authentik_stages_account_lockdown.accountlockdownstage' },
];

/** The gate model of the newest minor at or below `minor` that has one, if any. */
export function minorGateModel(minor: string): string | undefined {
  const at = MINOR_GATES.filter((g) => compareVersions(`${minor}.0`, `${g.since}.0`) >= 0);
  return at.length ? at[at.length - 1].model : undefined;
}

// ------------------------------------------------------------------------------------------------
// Application slugs Authentik refuses: authentik/core/models.py Application.reserved_slugs, checked
// by authentik/core/api/applications.py ApplicationSerializer.validate_slug (the serializer the
// blueprint importer validates every application entry with). They are the global OAuth2 endpoint
// names under /application/o/. Read per minor: the 2026.2 and 2026.5 branch points and main at
// 2026.8.0-rc1 (the newest 2026.8 source available) all list the same six.

const OAUTH2_ENDPOINT_SLUGS = ['authorize', 'token', 'device', 'userinfo', 'introspect', 'revoke'] as const;

export const RESERVED_APPLICATION_SLUGS: Readonly<Record<string, ReadonlyArray<string>>> = {
  '2026.2': OAUTH2_ENDPOINT_SLUGS,
  '2026.5': OAUTH2_ENDPOINT_SLUGS,
  // 2026.8.0-rc1
  '2026.8': OAUTH2_ENDPOINT_SLUGS,
};

/** The application slugs `minor` refuses (empty for a minor without a row; the supported-range check reports those). */
export const reservedSlugsOf = (minor: string): ReadonlyArray<string> => RESERVED_APPLICATION_SLUGS[minor] ?? [];

// ------------------------------------------------------------------------------------------------
// Known defects: releases inside the supported minors on which something the config uses breaks.
// Synth refuses such a config with the release that fixes it.

/** What a config uses that a defect can break. */
export type Feature = 'agents';

export interface KnownDefect {
  /** First and last affected release, inclusive. */
  from: string;
  to: string;
  affects: Feature;
  what: string;
  fixedIn: string;
}

export const KNOWN_DEFECTS: ReadonlyArray<KnownDefect> = [
  {
    from: '2026.2.0',
    to: '2026.2.1',
    affects: 'agents',
    what: 'Authentik does not percent-decode client credentials in the HTTP Basic header, which kubelogin (Go oauth2) percent-escapes, so every agent token request fails with invalid_grant',
    fixedIn: '2026.2.2',
  },
];

/** The defects `version` has for the features the config uses. */
export function defectsHit(version: string, uses: ReadonlySet<Feature>): KnownDefect[] {
  return KNOWN_DEFECTS.filter((d) => uses.has(d.affects) && compareVersions(version, d.from) >= 0 && compareVersions(version, d.to) <= 0);
}

/** The differences met when upgrading from minor `from` to minor `to` (oldest first). */
export function differencesBetween(from: string, to: string): SchemaDifference[] {
  return SCHEMA_DIFFERENCES.filter(
    (d) => compareVersions(`${d.since}.0`, `${from}.0`) > 0 && compareVersions(`${d.since}.0`, `${to}.0`) <= 0,
  ).sort((a, b) => compareVersions(`${a.since}.0`, `${b.since}.0`) || a.path.localeCompare(b.path));
}

/** The differences table as Markdown (docs/upgrades.md holds this exact text; a test checks it). */
export function differencesMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = differencesBetween(SUPPORTED_MINORS[0], SUPPORTED_MINORS.at(-1)!).map(
    (d) => `| ${d.since} | \`${d.path}\` | ${d.change}${d.detail ? `: \`${esc(d.detail)}\`` : ''} | ${esc(d.handling)} |`,
  );
  return ['| from | API field | change | what unified-auth does |', '|---|---|---|---|', ...rows].join('\n');
}

/** The known-defect table as Markdown (docs/upgrades.md, checked by a test). */
export function defectsMarkdown(): string {
  const rows = KNOWN_DEFECTS.map((d) => `| ${d.from} – ${d.to} | ${d.affects} | ${d.what} | ${d.fixedIn} |`);
  return ['| releases | breaks | what | fixed in |', '|---|---|---|---|', ...rows].join('\n');
}
