// Errors the user fixes, each printed as one line `<kind>: <message>` with exit code 1 (lib/pipeline/report.ts).
// Kept free of imports so every layer can throw them.

/** A problem in the user's input: printed as `${kind}: ${message}`, exit 1. */
export class UserError extends Error {
  readonly kind: string = 'error';
}

/** A bad command line (unknown flag, missing value, --baseline that is a file). */
export class UsageError extends UserError {
  override readonly kind = 'usage error';
}

/** The previous output (the baseline) cannot be read completely: the orphan guard would see less than was created. */
export class BaselineError extends UserError {
  override readonly kind = 'baseline error';
}

/** A pass-through blueprint (authentik.passThrough) that cannot be kept: one line naming the config path and file. */
export class PassThroughError extends UserError {
  override readonly kind = 'config error';
}
