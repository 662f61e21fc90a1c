// The one error reporter of synth, check, plan and import: an error -> one line per problem on
// stderr -> exit code 1 (130 for Ctrl-C, as a shell reports SIGINT). A user's mistake is never
// "internal error"; that is kept for bugs.
import { ConfigError } from '../rules/validate';
import { ConfigFileError, ConfigInterrupted } from '../config/load';
import { CheckError } from '../checks';
import { OutputError } from '../output/write';
import { osErrorMessage } from '../os/errors';
import { GitError } from '../previous/git';
import { UserError } from '../base/errors';
import { sanitizeLine } from '../base/messages';
import { ReadError } from '../readback/file';

const firstLine = (s: string): string => s.split('\n')[0];

/** How each error class is printed: the first match wins, so subclasses come before their base. */
const REPORTERS: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, (e: never) => string[]]> = [
  [ConfigError, (e: ConfigError) => e.problems.map((p) => `config error: ${p}`)],
  [ConfigFileError, (e: ConfigFileError) => [`config error: ${e.message}`]],
  [ConfigInterrupted, (e: ConfigInterrupted) => [e.message]],
  [CheckError, (e: CheckError) => e.findings.map((f) => `check failed: ${f}`)],
  [UserError, (e: UserError) => [`${e.kind}: ${firstLine(e.message)}`]],
  [OutputError, (e: OutputError) => [`output error: ${e.message}`]],
  [GitError, (e: GitError) => [`git error: ${e.message}`]],
  [ReadError, (e: ReadError) => [`read error: ${e.message}`]],
];

/** The lines a failure is reported with: each one line, userinfo masked (lib/base/messages.ts). */
export function errorLines(e: unknown): string[] {
  return rawLines(e).map(sanitizeLine);
}

function rawLines(e: unknown): string[] {
  for (const [cls, lines] of REPORTERS) if (e instanceof cls) return (lines as (e: unknown) => string[])(e);
  const os = osErrorMessage(e);
  if (os) return [`error: ${os}`];
  const message = e instanceof Error ? e.message : String(e);
  return [`internal error: ${firstLine(message)} (please report this)`];
}

/** Print a failure as one line per problem on stderr; returns the exit code (1, or 130 when interrupted). */
export function report(e: unknown): number {
  for (const line of errorLines(e)) console.error(line);
  return e instanceof ConfigInterrupted ? 130 : 1;
}
