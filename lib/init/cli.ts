// `npm run init -- --domain example.org [--name lab] [--format yaml|ts] [--repo <url>] [--force]`:
// a starter config for a new cluster, and the pointer (unified-auth.json) that makes it the
// default of `npm run synth`, with its own output directory clusters/<name>/dist. Asks for what
// is missing when a terminal is attached. Bad input is one line, exit 1, and nothing written.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { DNS_LABEL, DNS_NAME } from '../config/schema';
import { POINTER_FILE, pointerText, type Pointer } from '../config/pointer';
import { SCHEMA_FILE } from '../config/json-schema';
import { versionLine } from '../base/version';
import { starterText, type InitFormat } from './render';
import { stateText, statePathFor } from '../state/file';
import { NOTHING_RECORDED } from '../state/recorded';

/** The stock cdk8s CLI's project file: its `output` is the directory `npx cdk8s synth` empties and writes. */
const CDK8S_YAML = 'cdk8s.yaml';

export const INIT_USAGE = `usage: npm run init -- --domain <domain> [--name <cluster>] [--format yaml|ts] [--repo <git url>] [--force]
  --domain   the cluster's domain: Authentik is served at auth.<domain>, services at <name>.<domain>
  --name     the cluster's name (default: the domain's first label); the config is clusters/<name>.yaml
             and its output clusters/<name>/dist
  --format   yaml (default, with its JSON Schema for the editor) or ts (typed by the exported types)
  --repo     the git repository ArgoCD syncs (default: this clone's origin)
  --force    replace an existing config and ${POINTER_FILE}
  --version  print the tool's version
Without --domain and with a terminal attached, init asks.`;

class InitError extends Error {}
/** The command line itself is wrong (or incomplete with no terminal to ask): `usage error:`. */
class InitUsageError extends InitError {}

export interface InitOptions {
  domain: string;
  name: string;
  format: InitFormat;
  repo?: string;
  force: boolean;
}

/** Where the tool's files are: the working directory (npm runs scripts at the repository root). */
export interface InitEnv {
  cwd: string;
  /** Ask for missing values (a terminal is attached); tests pass their own streams. */
  prompt?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

/** A domain Authentik and the services can live under: lowercase DNS labels, at least two. */
function checkDomain(domain: string): void {
  if (domain !== domain.trim() || !DNS_NAME.test(domain) || !domain.includes('.')) {
    const hint = /[A-Z]/.test(domain) ? ' (use lowercase)' : /[^\x20-\x7e]/.test(domain) ? ' (write it in punycode, xn--...)' : '';
    throw new InitError(
      `--domain ${JSON.stringify(domain)} is not a domain: expected dot-separated lowercase labels such as example.org${hint}`,
    );
  }
}

const nameOf = (domain: string) => domain.split('.')[0];

function checkOptions(o: InitOptions): void {
  checkDomain(o.domain);
  if (!DNS_LABEL.test(o.name))
    throw new InitError(`--name ${JSON.stringify(o.name)} is not a cluster name: expected a DNS label such as lab`);
  if (o.format !== 'yaml' && o.format !== 'ts') throw new InitError(`--format ${JSON.stringify(o.format)}: expected yaml or ts`);
}

/** The clone's origin when it is a URL git.repoURL accepts; else a placeholder to review. */
function defaultRepo(cwd: string): string {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(url)) return url;
  } catch {
    // no git, or no origin: the placeholder below
  }
  return 'https://github.com/your-org/your-cluster.git';
}

type Values = { domain?: string; name?: string; format?: string; repo?: string; force?: boolean; help?: boolean; version?: boolean };

function parse(argv: string[]): Values {
  const options = {
    domain: { type: 'string' },
    name: { type: 'string' },
    format: { type: 'string' },
    repo: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  } as const;
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new InitUsageError(`${(e as Error).message.split('\n')[0]} (see npm run init -- --help)`);
  }
}

/** Flags first; what is missing is asked for when a terminal is attached, else a usage error. */
async function resolveOptions(v: Values, env: InitEnv): Promise<InitOptions> {
  let { domain, name, format } = v;
  if (domain === undefined) {
    if (!env.prompt) throw new InitUsageError('--domain is required (e.g. npm run init -- --domain example.org); no terminal to ask');
    const { input, output } = env.prompt;
    const rl = readline.createInterface({ input, terminal: false });
    // Lines are read through the iterator, which buffers them: typed-ahead answers are not lost.
    const lines = rl[Symbol.asyncIterator]();
    const ask = async (q: string) => {
      output.write(q);
      const r = await lines.next();
      return r.done ? '' : String(r.value).trim();
    };
    try {
      domain = await ask('Domain of the cluster (e.g. example.org): ');
      checkDomain(domain);
      name ??= (await ask(`Cluster name [${nameOf(domain)}]: `)) || undefined;
      format ??= (await ask('Config format, yaml or ts [yaml]: ')) || undefined;
    } finally {
      rl.close();
    }
  }
  return { domain, name: name ?? nameOf(domain), format: (format ?? 'yaml') as InitFormat, repo: v.repo, force: Boolean(v.force) };
}

/** Refuse before anything is written: an existing config or pointer needs --force. */
function planWrites(o: InitOptions, env: InitEnv): { file: string; text: string }[] {
  const rel = `clusters/${o.name}.${o.format}`;
  const pointer: Pointer = { config: rel, out: `clusters/${o.name}/dist` };
  const abs = path.join(env.cwd, rel);
  const ref = path
    .relative(path.dirname(abs), path.join(env.cwd, o.format === 'yaml' ? SCHEMA_FILE : 'lib/config/schema'))
    .split(path.sep)
    .join('/');
  // A new cluster has created nothing yet: its state starts empty (docs/state.md).
  const state = statePathFor(rel);
  const cluster = { cluster: { name: o.name, domain: o.domain } };
  const files = [
    { file: rel, text: starterText(o.format, { domain: o.domain, name: o.name, repoURL: o.repo ?? defaultRepo(env.cwd) }, ref) },
    { file: POINTER_FILE, text: pointerText(pointer) },
    { file: state, text: stateText(path.join(env.cwd, state), path.join(env.cwd, pointer.out), cluster, NOTHING_RECORDED) },
  ];
  // `npx cdk8s synth` empties and writes cdk8s.yaml's `output`: it must be this cluster's output too.
  const cdk8s = cdk8sYamlFor(env.cwd, pointer.out);
  for (const f of files) {
    const st = fs.statSync(path.join(env.cwd, f.file), { throwIfNoEntry: false });
    if (st?.isDirectory()) throw new InitError(`${f.file}: is a directory`);
    // The same empty state (the same cluster in the other format) is left as it is: nothing is replaced.
    if (st && !o.force && !(f.file === state && fs.readFileSync(path.join(env.cwd, f.file), 'utf8') === f.text))
      throw new InitError(`${f.file}: exists; refusing to replace it (add --force to overwrite)`);
  }
  return cdk8s ? [...files, cdk8s] : files;
}

/** cdk8s.yaml with its `output:` set to `out`, when the project has one and it names another directory. */
function cdk8sYamlFor(cwd: string, out: string): { file: string; text: string } | undefined {
  const file = path.join(cwd, CDK8S_YAML);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const next = /^output:.*$/m.test(text) ? text.replace(/^output:.*$/m, `output: ${out}`) : `${text.trimEnd()}\noutput: ${out}\n`;
  return next === text ? undefined : { file: CDK8S_YAML, text: next };
}

/** Each file written aside, then renamed into place: an interrupted run leaves no half-written file. */
function write(files: { file: string; text: string }[], cwd: string): void {
  const tmp = (abs: string) => `${abs}.${process.pid}.tmp`;
  const written: string[] = [];
  try {
    for (const f of files) {
      const abs = path.join(cwd, f.file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(tmp(abs), f.text, { flag: 'wx' });
      written.push(abs);
    }
  } catch (e) {
    for (const abs of written) fs.rmSync(tmp(abs), { force: true });
    const err = e as NodeJS.ErrnoException;
    throw err.code ? new InitError(`cannot write ${path.relative(cwd, err.path ?? cwd) || '.'}: ${err.code}; nothing was written`) : e;
  }
  for (const abs of written) fs.renameSync(tmp(abs), abs);
}

/** Returns the exit code; prints results itself. */
export async function initMain(argv: string[], env: InitEnv = defaultEnv()): Promise<number> {
  try {
    const v = parse(argv);
    if (v.help || v.version) {
      console.log(v.help ? INIT_USAGE : versionLine());
      return 0;
    }
    const o = await resolveOptions(v, env);
    checkOptions(o);
    const files = planWrites(o, env);
    write(files, env.cwd);
    console.log(
      `init: wrote ${files[0].file}, its empty state ${files[2].file} and ${POINTER_FILE} (npm run synth now writes clusters/${o.name}/dist/)`,
    );
    if (files.some((f) => f.file === CDK8S_YAML))
      console.log(`init: set output: clusters/${o.name}/dist in ${CDK8S_YAML} (npx cdk8s synth writes there too)`);
    console.log(`init: review the values marked REVIEW in ${files[0].file}, then run npm run synth`);
    return 0;
  } catch (e) {
    if (e instanceof InitError) console.error(`${e instanceof InitUsageError ? 'usage' : 'init'} error: ${e.message}`);
    else console.error(`internal error: ${(e as Error)?.message?.split('\n')[0] ?? String(e)} (please report this)`);
    return 1;
  }
}

const defaultEnv = (): InitEnv => ({
  cwd: process.cwd(),
  prompt: process.stdin.isTTY && process.stdout.isTTY ? { input: process.stdin, output: process.stdout } : undefined,
});

export { schemaMain } from './schema';
