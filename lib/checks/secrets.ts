// No secret is ever written to dist/: the repository is the GitOps source, so anything in it is
// public to everyone who can read the repo. Secrets are only ever referenced (secretKeyRef,
// ArgoCD `$secret:key`, Grafana `$__env{}`, blueprint `!Env`, a shell `${VAR}`).
//
// Two rules, over every rendered file (YAML walked as data, nested YAML strings parsed too —
// ArgoCD's oidc.config, blueprint ConfigMap data, Talos file contents, Omni spec.data):
//  (a) a value under a key named like secret/password/token/key/credential must be a reference
//      or empty, never a literal. Keys that NAME a Secret or a Secret key (existingSecret,
//      adminPasswordKey, everything inside secretKeyRef/valueFrom) are names, not secrets. The
//      same holds for env entries ({name: X_PASSWORD, value: …}), `--flag=` arguments and
//      `NAME=value` assignments inside strings, and `--from-literal=key=value`.
//  (b) a long high-entropy token (base64/hex-like, ≥24 chars, Shannon entropy above a bound) is
//      a secret wherever it sits, in YAML or in plain text.
import path from 'node:path';
import type { SynthResult } from '../output/render';
import type { OutputFile } from '../base/file-text';
import { listTree } from '../readback/tree';
import { readBounded } from '../readback/file';
import { OUTPUT } from '../base/paths';
import { BLUEPRINT_SCHEMA, isTag } from '../upstream/blueprint-tags';
import { renderedDocuments } from '../blueprints/build';
import { loadAllYaml, loadYamlShared } from '../readback/yaml';

export interface SecretFinding {
  file: string;
  /** Where in the document (dotted path; `|yaml` marks a nested YAML string), or the line. */
  at: string;
  reason: string;
}

export const formatSecretFinding = (f: SecretFinding) => `${f.file}: ${f.at}: ${f.reason}`;

/** Keys whose value would be a secret. */
const SENSITIVE = /secret|passw(or)?d|token|key|credential/i;
/** ...unless the key describes something about it rather than holding it. */
const DESCRIPTIVE =
  /(url|uri|endpoint|validity|expir\w*|ttl|lifetime|duration|length|type|mode|intent|claims?|scopes?|path|prefix|header|enabled|name|names|file|id|ids|description|algorithm|size|requirement)$/i;
/** Keys whose value NAMES a Secret or one of its keys (Helm and Kubernetes conventions). */
const NAME_KEY =
  /^(existingSecret\w*|envFromSecrets?|secretName|[a-z]\w*(Password|Secret|Token)Key|secretKeys?Ref|secretRef|secretKeys|secretKey)$/;
/** Subtrees that only ever hold references (names and keys of Secrets, never values; Flux valuesFrom, ESO's caProvider and remoteRef too). */
const REF_CONTAINER: ReadonlySet<string> = new Set([
  'secretKeyRef',
  'configMapKeyRef',
  'secretRef',
  'configMapRef',
  'valueFrom',
  'valuesFrom',
  'envFrom',
  'secretKeys',
  'caProvider',
  'remoteRef',
]);

/** A key (or flag, or env var name) whose value would be the secret itself. */
const holdsSecret = (k: string) => SENSITIVE.test(k) && !DESCRIPTIVE.test(k) && !NAME_KEY.test(k);

/** A reference to a secret, a placeholder or nothing: everything a secret-named value may be. */
export function isReference(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || typeof v === 'boolean') return true;
  if (isTag(v)) return true; // !Env, !Find, !KeyOf: resolved by Authentik at apply time
  if (typeof v !== 'string') return false;
  // Each pattern needs its first character (a quote, '$') or a '<': a value without them is not tested.
  const trimmed = v.trim();
  const s = trimmed[0] === '"' || trimmed[0] === "'" ? trimmed.replace(/^(["'])(.*)\1$/, '$2') : trimmed;
  if (s === '') return true;
  if (
    s[0] === '$' &&
    (/^\$__(env|file|vault)\{[^}]+\}$/.test(s) || // Grafana
      /^\$[A-Za-z0-9][-._A-Za-z0-9]*(:[-._A-Za-z0-9]+)?$/.test(s) || // ArgoCD $secret:key / $key, shell $VAR
      /^\$\{[A-Za-z_][A-Za-z0-9_]*([:?=+-][^}]*)?\}$/.test(s) || // shell ${VAR}, ${VAR:?msg}
      /^\$\(.+\)$/.test(s)) // $(command) / Kubernetes $(VAR)
  )
    return true;
  return (
    s.includes('<') &&
    (/^<.*>$/.test(s) || // a documented placeholder: <app password>
      /<[^<>\n]+>/.test(s))
  );
}

/** Prefix form for values cut out of a longer string: `"${VAR:?…` starts a reference. */
const startsReference = (s: string) => /^["']?(\$|<)/.test(s) || s === '' || s === '""' || s === "''";

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Scheme, host and path of a URL (not its query: `?token=…` is still scanned). */
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`)<>?#]+/gi;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Bits per character above which a token is a secret: names and identifiers stay well below. */
export const ENTROPY_BITS = 4.0;
export const HEX_ENTROPY_BITS = 3.0;
export const MIN_TOKEN = 24;

/** A lowercase name or path segment with few digits: an identifier, not a secret. */
const isPlainWord = (t: string) => /^[a-z0-9._-]*$/.test(t) && !/\d.*\d.*\d/.test(t);

/**
 * Whether `text` has a run of MIN_TOKEN token characters ([A-Za-z0-9+/_=.-]) with a digit, a
 * capital, '+' or '=' in it: without one no token can be a candidate (a run of [a-z/_.-] only is a
 * plain word whatever it is cut into: the filter below; cutting URLs out puts a space in their
 * place, so it only splits runs, and every later step only splits or trims). Most strings stop
 * here, names and paths included. One regex, from the start of each run: a start-up runs this
 * once, where the regex engine's native code is many times faster than a loop over characters.
 */
const CANDIDATE_RUN = new RegExp(`(?<![A-Za-z0-9+/_=.-])(?=[A-Za-z0-9+/_=.-]{${MIN_TOKEN}})[a-z/_.-]*[A-Z0-9+=]`);
const hasCandidateRun = (text: string): boolean => text.length >= MIN_TOKEN && CANDIDATE_RUN.test(text);

/** High-entropy tokens in free text (URLs removed first: their paths are not secrets). */
export function highEntropyTokens(text: string): string[] {
  if (!hasCandidateRun(text)) return [];
  // URL_RE needs '://': without one the text is its own stripped form.
  const stripped = text.includes('://') ? text.replace(URL_RE, ' ') : text;
  if (stripped !== text && !hasCandidateRun(stripped)) return [];
  const out: string[] = [];
  const candidates = (stripped.match(/[A-Za-z0-9+/_=.-]{24,}/g) ?? [])
    // Without a digit, a capital, '+' or '=', every piece below is a plain word (isPlainWord): none is a token.
    .filter((tok) => !/^[a-z._/-]+$/.test(tok))
    // '=' inside a token is an assignment, not base64 padding (which only ends a token).
    .flatMap((tok) => tok.split(/=(?!=*$)/))
    // A path (mostly plain lowercase segments, e.g. A0/talos/apiserver-oidc.yaml) is judged per
    // segment; base64 that happens to contain '/' has no plain segments and stays whole.
    .flatMap((t) => {
      const segs = t.split('/');
      return segs.length > 1 && segs.filter(isPlainWord).length * 2 >= segs.length ? segs : [t];
    })
    .map((t) => t.replace(/^[-./]+|[-.]+$/g, ''));
  for (const t of candidates) {
    if (t.length < MIN_TOKEN || UUID_RE.test(t)) continue;
    if (/^[0-9a-f]+$/i.test(t) && /\d/.test(t) && /[a-f]/i.test(t)) {
      if (t.length >= 32 && shannonEntropy(t) > HEX_ENTROPY_BITS) out.push(t);
      continue;
    }
    // Identifiers carry no secret: lowercase names and paths (few digits), UPPER_SNAKE env names,
    // dotted or dashed words. Random base64 mixes lower, upper and digits.
    if (isPlainWord(t.replace(/\//g, ''))) continue;
    if (/^[A-Z0-9_]+$/.test(t)) continue;
    // A CSS custom property or BEM class (pf-c-page__main-nav--BackgroundColor): letter-only words
    // (a digit or two at most) joined by dashes and underscores, which random base64 almost never forms.
    if (/^[A-Za-z0-9]+(?:[-_]+[A-Za-z0-9]+){3,}$/.test(t) && (t.match(/\d/g) ?? []).length <= 2) continue;
    const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(t)).length;
    if (shannonEntropy(t) > (classes === 3 ? ENTROPY_BITS : ENTROPY_BITS + 0.5)) out.push(t);
  }
  return out;
}

/** A whole URL with its query: what the URL rules below read. */
const FULL_URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`)<>]+/gi;
/** Query parameters that carry a credential, beyond the secret-named keys (holdsSecret). */
const CREDENTIAL_PARAM = /^(pwd|pass|auth|sig|signature|code|apikey)$/i;

/**
 * Findings in one URL: a user name or path segment that is a high-entropy token (git's
 * https://<token>@host, a capability URL, a token pasted into an upstream's path) and a
 * credential-named query parameter with a literal value. The host is not read: DNS names are
 * identifiers.
 */
function urlSecrets(url: string): string[] {
  // A user name needs '@', a parameter '?' or '#'; a path segment is part of the URL, the same text
  // unless '%' decodes it: without these and a candidate run, nothing below can find anything.
  if (!/[@?#%]/.test(url) && !hasCandidateRun(url)) return [];
  const out: string[] = [];
  // The fragment is read like the query: an implicit-flow URL carries #access_token=… there.
  const [beforeFragment, fragment] = splitAtFirst(url, '#');
  const [beforeQuery, search] = splitAtFirst(beforeFragment, '?');
  const query = `${search}&${fragment}`;
  // A token as the user name (https://<token>@host, git's form); user:password has its own rule.
  const user = beforeQuery.includes('@') ? /^[a-z][a-z0-9+.-]*:\/\/([^/:@]*)(?::[^/@]*)?@/i.exec(beforeQuery)?.[1] : undefined;
  for (const t of user ? highEntropyTokens(decodeSafe(user)) : [])
    out.push(`a URL's user name ${redact(t)} (${shannonEntropy(t).toFixed(2)} bits/char) looks like an inlined token`);
  // The path: from the first '/' after the scheme's '://' (a URL here starts with its scheme, which has no ':').
  const hostEnd = beforeQuery.indexOf('/', beforeQuery.indexOf('://') + 3);
  const path = hostEnd < 0 ? '' : beforeQuery.slice(hostEnd);
  for (const seg of path.split('/').filter(Boolean)) {
    for (const t of highEntropyTokens(decodeSafe(seg)))
      out.push(`a URL's path segment ${redact(t)} (${shannonEntropy(t).toFixed(2)} bits/char) looks like an inlined token`);
  }
  for (const pair of query.split('&').filter(Boolean)) {
    const [name, ...rest] = pair.split('=');
    const value = decodeSafe(rest.join('='));
    const key = decodeSafe(name);
    if ((holdsSecret(key) || CREDENTIAL_PARAM.test(key)) && value !== '' && !isReference(value))
      out.push(`a URL's query parameter "${key}" carries a literal value ${redact(value)}; never put a credential in a URL`);
  }
  return out;
}

/** The text before the first `sep` and the text after it ('' without one). */
function splitAtFirst(s: string, sep: string): [string, string] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const redact = (s: string) => (s.length <= 8 ? '***' : `${s.slice(0, 4)}…(${s.length} chars)`);

/**
 * What one scan keeps (scanFiles makes one per call and passes it down): the same strings and keys
 * recur across files and entries, and a string's findings depend on nothing else. `known`: nested
 * YAML texts whose parsed documents the caller already has (checkNoSecrets: the rendered blueprints).
 */
interface ScanMemo {
  readonly reasons: Map<string, string[]>;
  readonly hashReasons: Map<string, string[]>;
  readonly keys: Map<string, KeyClass>;
  readonly known: ReadonlyMap<string, object>;
}

const newMemo = (known: ReadonlyMap<string, object> = new Map()): ScanMemo => ({
  reasons: new Map(),
  hashReasons: new Map(),
  keys: new Map(),
  known,
});

/** Where findings go: the file scanned, its findings, the scan's memo. */
interface Sink {
  readonly file: string;
  readonly out: SecretFinding[];
  readonly memo: ScanMemo;
}

/** What a key says about its value: a secret, a reference subtree, a hash. */
interface KeyClass {
  secret: boolean;
  refs: boolean;
  hash: boolean;
}

function keyClass(k: string, memo: ScanMemo): KeyClass {
  let c = memo.keys.get(k);
  if (!c) {
    c = {
      secret: holdsSecret(k),
      refs: REF_CONTAINER.has(k) || NAME_KEY.test(k),
      hash: /hash|sha\d*|digest|checksum|fingerprint/i.test(k),
    };
    memo.keys.set(k, c);
  }
  return c;
}

/**
 * Where a value sits (SecretFinding.at): a step below another place, spelled out only when a
 * finding names it (most values have none, and their paths are long).
 */
type Where = string | { readonly up: Where; readonly step: string | number; readonly how: 'key' | 'index' | 'suffix' };

function spell(w: Where): string {
  if (typeof w === 'string') return w;
  const up = spell(w.up);
  if (w.how === 'index') return `${up}[${w.step}]`;
  if (w.how === 'suffix') return `${up}${w.step}`;
  return up ? `${up}.${w.step}` : String(w.step);
}

/** Findings of the string-level rules on one string (a value, or a line of text). */
function scanString(s: string, at: Where, sink: Sink, hashKey = false): void {
  const memo = hashKey ? sink.memo.hashReasons : sink.memo.reasons;
  let reasons = memo.get(s);
  if (!reasons) memo.set(s, (reasons = stringReasons(s, hashKey)));
  if (!reasons.length) return;
  const where = spell(at);
  for (const reason of reasons) sink.out.push({ file: sink.file, at: where, reason });
}

function stringReasons(s: string, hashKey: boolean): string[] {
  const out: string[] = [];
  // Each rule's pattern needs its markers ("--" and "=", "://", a secret-named variable and "="):
  // a string without them is skipped unread.
  const assigns = s.includes('=');
  if (assigns && s.includes('--')) scanFlags(s, out);
  if (s.includes('://')) scanUrls(s, out);
  if (assigns && ASSIGNED_NAME.test(s)) scanAssignments(s, out);
  if (!hashKey)
    for (const t of highEntropyTokens(s))
      out.push(`high-entropy string ${redact(t)} (${shannonEntropy(t).toFixed(2)} bits/char) looks like an inlined secret`);
  return out;
}

/** `--flag=value` with a secret-named flag, and `--from-literal=key=value`. */
function scanFlags(s: string, out: string[]): void {
  for (const m of s.matchAll(/(?:^|\s)--([a-z][a-z0-9-]*)=(\S*)/g)) {
    const [flag, value] = [m[1], m[2]];
    if (flag === 'from-literal') {
      const [key, ...rest] = value.split('=');
      const v = rest.join('=');
      if (!startsReference(v)) out.push(`--from-literal=${key}= carries a literal value ${redact(v)} instead of a reference`);
    } else if (holdsSecret(flag) && !startsReference(value)) {
      out.push(`--${flag}= carries a literal value ${redact(value)} instead of a reference`);
    }
  }
}

/** Tokens and credentials in URLs, and a literal password in a URL's userinfo. */
function scanUrls(s: string, out: string[]): void {
  // match, not matchAll: the same URLs, without a copy of the regex per string (a global match leaves lastIndex at 0).
  for (const u of s.match(FULL_URL_RE) ?? []) out.push(...urlSecrets(u));
  if (!s.includes('@')) return;
  for (const m of s.matchAll(/:\/\/[^/\s:@]+:([^@\s/]*)@/g)) {
    if (!startsReference(m[1]) && !isReference(m[1])) out.push(`a URL carries a literal password ${redact(m[1])} in its userinfo`);
  }
}

/** What every name scanAssignments reads has in it. */
const ASSIGNED_NAME = /SECRET|PASSWORD|TOKEN|KEY/;

/** `SOME_PASSWORD=value` assignments inside a string (a shell line, an env file). */
function scanAssignments(s: string, out: string[]): void {
  for (const m of s.matchAll(
    /(?:^|[\s;&|`])([A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|TOKEN|KEY)[A-Z0-9_]*)=(\w*\([^)]*\)|"[^"]*"|'[^']*'|\S*)/g,
  )) {
    if (!startsReference(m[2]) && !isReference(m[2])) out.push(`${m[1]}= assigns a literal value ${redact(m[2])} instead of a reference`);
  }
}

/** YAML inside a string (oidc.config, blueprint data, Talos file content, Omni spec.data). */
function nestedYaml(s: string, memo: ScanMemo): unknown {
  if (!s.includes('\n') || !/^\s*[-\w"'.]+\s*:|^\s*- /m.test(s)) return undefined;
  const known = memo.known.get(s);
  if (known !== undefined) return known;
  try {
    // Without a '!' the text has no tag, and the tag schema reads it as the default one does: the
    // parse the other checks already shared (parseNested in ./rendered.ts).
    const v = loadYamlShared(s, s.includes('!') ? BLUEPRINT_SCHEMA : undefined);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

function scanValue(v: unknown, at: Where, key: string, sink: Sink, inRef: boolean): void {
  const { file, out, memo } = sink;
  if (typeof v === 'string') {
    const inner = nestedYaml(v, memo);
    if (inner !== undefined) return scanValue(inner, { up: at, step: '|yaml', how: 'suffix' }, '', sink, false);
  }
  const kc = key === '' ? undefined : keyClass(key, memo);
  const sensitive = !inRef && kc !== undefined && kc.secret;
  if (sensitive && (typeof v === 'string' || typeof v === 'number') && !isReference(v)) {
    out.push({
      file,
      at: spell(at),
      reason: `"${key}" holds a literal value ${redact(String(v))}; reference a Secret instead (secretKeyRef, $secret:key, $__env{}, !Env)`,
    });
  }
  if (typeof v === 'string') return scanString(v, at, sink, kc?.hash ?? false);
  if (isTag(v) || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) return v.forEach((x, i) => scanValue(x, { up: at, step: i, how: 'index' }, '', sink, inRef));
  const o = v as Record<string, unknown>;
  // An env entry: {name: SOME_PASSWORD, value: …} carries the secret in `value`.
  if (typeof o.name === 'string' && 'value' in o && !inRef && keyClass(o.name, memo).secret && !isReference(o.value)) {
    out.push({
      file,
      at: spell({ up: at, step: '.value', how: 'suffix' }),
      reason: `env ${o.name} holds a literal value ${redact(String(o.value))}; use valueFrom.secretKeyRef`,
    });
  }
  // A Kubernetes Secret with data in dist/ is a secret in git.
  if (o.kind === 'Secret' && typeof o.apiVersion === 'string') {
    for (const field of ['data', 'stringData']) {
      const d = o[field];
      if (d && typeof d === 'object' && Object.keys(d).length)
        out.push({
          file,
          at: spell({ up: at, step: field, how: 'key' }),
          reason: `a Secret with ${field} (${Object.keys(d).join(', ')}); Secrets are applied out of band, never rendered`,
        });
    }
  }
  // Object.keys, not entries: no [key, value] pair per key, which a run reads interpreted, once.
  for (const k of Object.keys(o)) scanValue(o[k], { up: at, step: k, how: 'key' }, k, sink, inRef || keyClass(k, memo).refs);
}

/** Scan one rendered (or read-back) file. YAML files are scanned as data AND as text (comments). */
export function scanFile(f: Pick<OutputFile, 'path' | 'text' | 'docs'>, memo: ScanMemo = newMemo()): SecretFinding[] {
  const out: SecretFinding[] = [];
  const sink: Sink = { file: f.path, out, memo };
  const docs = f.docs ?? (/\.ya?ml$/.test(f.path) ? loadAll(f.text) : undefined);
  if (docs) docs.forEach((d, i) => scanValue(d, docs.length > 1 ? `doc[${i}]` : '', '', sink, false));
  // Text lines not covered by the documents: comments (and everything, for non-YAML files,
  // where the `key: value` lines of a YAML code block, e.g. a Secret manifest in Markdown, get
  // rule (a) as well).
  if (docs)
    for (const [i, line] of commentLines(f.text)) {
      const text = line.slice(line.indexOf('#') + 1); // the text after the '#' that starts it
      if (text) scanString(text, `line ${i + 1}`, sink);
    }
  else scanTextLines(f.text, sink);
  return dedupe(out);
}

/**
 * The lines whose first non-space character is `#` (as /^\s*#/ tests a line), with their index,
 * found from each `#` rather than by testing every line of a long file.
 */
function commentLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let line = 0;
  let start = 0;
  let end = text.indexOf('\n');
  for (let at = text.indexOf('#'); at !== -1; at = text.indexOf('#', at + 1)) {
    while (end !== -1 && end < at) {
      line++;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    const stop = end === -1 ? text.length : end;
    if (text.slice(start, at).trim() !== '') continue; // trim removes what \s matches
    out.push([line, text.slice(start, stop)]);
    at = stop;
  }
  return out;
}

/** Every line of a file read as text: the string rules, and rule (a) inside a YAML code block. */
function scanTextLines(body: string, sink: Sink): void {
  let fence: string | undefined;
  body.split('\n').forEach((line, i) => {
    const open = line.includes('```') ? /^\s*```\s*(\w*)/.exec(line) : null;
    if (open) fence = fence === undefined ? open[1].toLowerCase() : undefined;
    if (!line) return;
    const at = `line ${i + 1}`;
    scanString(line, at, sink);
    const inYaml = fence === '' || fence === 'yaml' || fence === 'yml';
    const kv = inYaml ? /^\s*(?:-\s+)?([\w.-]+)\s*:\s+(\S.*?)\s*$/.exec(line) : null;
    if (kv && keyClass(kv[1], sink.memo).secret && !isReference(kv[2])) {
      sink.out.push({ file: sink.file, at, reason: `"${kv[1]}" holds a literal value ${redact(kv[2])}; reference a Secret instead` });
    }
  });
}

function loadAll(text: string): unknown[] | undefined {
  try {
    return loadAllYaml(text, { schema: BLUEPRINT_SCHEMA });
  } catch {
    return undefined;
  }
}

function dedupe(fs: SecretFinding[]): SecretFinding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = formatSecretFinding(f);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

// The manifest holds only the sha256 of the other files (each scanned itself): hex by design.
/** `known`: nested YAML texts with their parsed documents, which the caller already has (not parsed again). */
export function scanFiles(
  files: ReadonlyArray<Pick<OutputFile, 'path' | 'text' | 'docs'>>,
  known?: ReadonlyMap<string, object>,
): SecretFinding[] {
  const memo = newMemo(known);
  return files.filter((f) => f.path !== OUTPUT.manifest).flatMap((f) => scanFile(f, memo));
}

/** Scan a directory on disk (e.g. the committed dist/), every file, recursively. */
export function scanDirectory(dir: string): SecretFinding[] {
  return scanFiles(
    listTree(dir)
      .sort()
      .map((p) => ({ path: p, text: readBounded(path.join(dir, p)) })),
  );
}

export function checkNoSecrets(r: SynthResult): string[] {
  // The blueprints' texts as rendered are read as the documents they were dumped from, not parsed again.
  return scanFiles(r.files, renderedDocuments(r.blueprints)).map(formatSecretFinding);
}
