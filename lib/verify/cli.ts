// `npm run verify -- --url <Authentik URL> [--config <file>] [--out <dir>] [--format text|markdown|json]
// [--timeout <s>] [--from-json <dir>] [--probe-hosts [--ca-file <pem>]]`: render the config in memory (every check and guard synth
// runs) and compare the live Authentik with it. Exit 0: it matches; 1: findings, one line each;
// 2: verify cannot read Authentik or the input is bad; 130 (SIGINT), 143 (SIGTERM): interrupted,
// one line and no report (lib/base/signals.ts, as synth). The token comes only from
// AUTHENTIK_TOKEN and is cut out of every line printed.
import { parseArgs } from 'node:util';
import { UsageError } from '../base/errors';
import { errorLines } from '../pipeline/report';
import { loadConfigWithInput } from '../pipeline/config';
import { readBaseline } from '../pipeline/baseline';
import { renderAndGuard } from '../pipeline/render-and-guard';
import { versionLine } from '../base/version';
import { readPointer } from '../config/pointer';
import { followOutput } from '../pipeline/git-path';
import { listenForSignals, signalExitCode, whenInterrupted, type Interruption } from '../base/signals';
import { ConfigInterrupted } from '../config/load';
import { expectedOf, type Expected } from './expected';
import { verify } from './index';
import { formatFindings, VERIFY_FORMATS, type VerifyFormat } from './format';
import { checkUrl, liveSource, savedSource, VerifyError } from './source';
import { readCaFile } from './probe';

export const VERIFY_USAGE = `usage: AUTHENTIK_TOKEN=… npm run verify -- --url <Authentik URL> [--config <file>] [--out <dir>] [--format text|markdown|json] [--timeout <s>] [--from-json <dir>] [--probe-hosts [--ca-file <pem>]]
  --url        Authentik's URL: https, or http to a loopback port-forward (http://127.0.0.1:9000)
  --config     cluster config (default: the one unified-auth.json names, else config/frank.ts)
  --out        that config's output (default: the pointer's, else dist): the baseline synth guards with
  --format     text (default), markdown or json
  --timeout    seconds per request (default 10)
  --from-json  compare saved API responses in this directory instead (no token; docs/verify.md)
  --probe-hosts  also send each forward-auth host one unauthenticated request: it must redirect to Authentik
  --ca-file    PEM CA certificates to trust besides the system's, for the probes (a private CA)
exit 0: the cluster matches; 1: findings, one line each; 2: cannot reach or authenticate, or bad input; 130/143: interrupted`;

const OPTIONS = {
  url: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  timeout: { type: 'string' },
  'from-json': { type: 'string' },
  'probe-hosts': { type: 'boolean' },
  'ca-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

interface VerifyArgs {
  url?: string;
  config?: string;
  out: string;
  format: VerifyFormat;
  timeout: number;
  fromJson?: string;
  probeHosts: boolean;
  caFile?: string;
  help?: boolean;
  version?: boolean;
}

function verifyArgs(argv: string[]): VerifyArgs {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const format = (values.format ?? 'text') as VerifyFormat;
  if (!VERIFY_FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: expected ${VERIFY_FORMATS.join(', ')}`);
  const timeout = Number(values.timeout ?? '10');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600)
    throw new UsageError(`--timeout ${values.timeout}: expected seconds, more than 0 and at most 600`);
  const quiet = values.help || values.version;
  if (!quiet && values.url === undefined && values['from-json'] === undefined)
    throw new UsageError("--url is missing: give Authentik's URL (or --from-json <dir>)");
  if (values['probe-hosts'] && values['from-json'] !== undefined)
    throw new UsageError('--probe-hosts asks the live hosts; it cannot run on saved answers (--from-json)');
  if (values['ca-file'] !== undefined && !values['probe-hosts']) throw new UsageError('--ca-file is for --probe-hosts; add --probe-hosts');
  const pointer = values.config === undefined && !quiet ? readPointer() : undefined;
  return {
    url: values.url,
    config: values.config ?? pointer?.config,
    out: values.out ?? pointer?.out ?? 'dist',
    format,
    timeout,
    fromJson: values['from-json'],
    probeHosts: values['probe-hosts'] === true,
    caFile: values['ca-file'],
    help: values.help,
    version: values.version,
  };
}

/** The token, from the environment only; bad input is refused before anything is rendered. */
function tokenOf(env: NodeJS.ProcessEnv): string {
  const token = env.AUTHENTIK_TOKEN?.trim();
  if (!token) throw new VerifyError('AUTHENTIK_TOKEN is not set: export an Authentik API token (Admin > Directory > Tokens) first');
  // eslint-disable-next-line no-control-regex -- a control character in the token is the point
  if (/[\s\u0000-\u001f]/.test(token)) throw new VerifyError('AUTHENTIK_TOKEN holds a space or control character: copy the token alone');
  return token;
}

/** What the cluster must show: the config rendered in memory as synth renders it against `out` (plan does the same). */
export function expectedFor(config: string | undefined, out: string): Expected {
  const baseline = readBaseline({ kind: 'dir', dir: out, label: out });
  const loaded = loadConfigWithInput(config);
  return expectedOf(renderAndGuard({ config: followOutput(loaded.input, loaded.config, out), baseline, passThrough: loaded.passThrough }));
}

async function run(opts: VerifyArgs, env: NodeJS.ProcessEnv, abort?: AbortSignal): Promise<number> {
  const token = opts.fromJson === undefined ? tokenOf(env) : '';
  const base = opts.url === undefined ? undefined : checkUrl(opts.url);
  const probe = opts.probeHosts
    ? { timeoutSeconds: opts.timeout, ...(opts.caFile === undefined ? {} : { ca: readCaFile(opts.caFile) }) }
    : undefined;
  const expected = expectedFor(opts.config, opts.out);
  const api = base ?? new URL(expected.url);
  const get =
    opts.fromJson !== undefined
      ? savedSource(opts.fromJson, api)
      : liveSource({ token, origin: api.origin, timeoutSeconds: opts.timeout, ...(abort ? { abort } : {}) });
  const findings = await verify({ expected, get, base: api, ...(probe ? { probe: { ...probe, ...(abort ? { abort } : {}) } } : {}) });
  // The report is printed whole or not at all: a signal during the comparison ends the run without it.
  abort?.throwIfAborted();
  const title = `unified-auth verify: ${opts.fromJson ?? api.origin} against ${opts.config ?? 'config/frank.ts'}`;
  process.stdout.write(formatFindings(findings, opts.format, title).replaceAll(token || '\u0000', '***'));
  return findings.length ? 1 : 0;
}

/** A failure's lines and exit code: Ctrl-C while a TypeScript config was evaluated is SIGINT's, anything else 2. */
export function verifyFailure(e: unknown, token: string | undefined): { lines: string[]; code: number } {
  const lines = errorLines(e).map((line) => (token ? line.replaceAll(token, '***') : line));
  return { lines, code: e instanceof ConfigInterrupted ? signalExitCode('SIGINT') : 2 };
}

/**
 * Exit 0 match, 1 findings, 2 anything that stops the comparison (printed as one line each); with
 * `interruption`, a signal ends the comparison at once (its requests aborted): one line, no report.
 */
export async function verifyMain(argv: string[], env: NodeJS.ProcessEnv = process.env, interruption?: Interruption): Promise<number> {
  const token = env.AUTHENTIK_TOKEN?.trim();
  try {
    const opts = verifyArgs(argv);
    if (opts.help || opts.version) {
      console.log(opts.help ? VERIFY_USAGE : versionLine());
      return 0;
    }
    const running = run(opts, env, interruption?.abort);
    if (!interruption) return await running;
    // The aborted requests reject the run afterwards: that rejection is the interruption's, not a failure.
    running.catch(() => undefined);
    const first = await Promise.race([running, whenInterrupted(interruption)]);
    if (typeof first === 'number') return first;
    console.error(`verify: interrupted (${first}) before the comparison finished; no report printed`);
    return signalExitCode(first);
  } catch (e) {
    const failed = verifyFailure(e, token);
    for (const line of failed.lines) console.error(line);
    return failed.code;
  }
}

/** The process entry (bin/verify.cjs): verifyMain with Ctrl-C (SIGINT, SIGTERM, SIGHUP) listened for while it runs. */
export async function verifyProcess(argv: string[]): Promise<number> {
  const signals = listenForSignals();
  try {
    return await verifyMain(argv, process.env, signals);
  } finally {
    signals.stop();
  }
}
