// Ctrl-C and its kin for the commands that run as a process (synth's runProcess in main.ts, verify's
// verifyProcess): a signal is recorded, not obeyed at once, so each command stops where nothing is
// half-written and says so on one line. The exit status is the one a shell reports for a process
// the signal ended: 128 + its number (130 SIGINT, 143 SIGTERM, 129 SIGHUP). The same signals end a
// TypeScript config's evaluation at once (lib/config/evaluate.ts), hence its place in base/.
import os from 'node:os';

export const HANDLED_SIGNALS: ReadonlyArray<NodeJS.Signals> = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const signalExitCode = (s: NodeJS.Signals): number => 128 + os.constants.signals[s];

/** A run's view of the signals: the first one received, and an AbortSignal that fires with it (in-flight requests stop). */
export interface Interruption {
  received(): NodeJS.Signals | undefined;
  readonly abort: AbortSignal;
}

/**
 * Record HANDLED_SIGNALS until `stop()`; `early` reports one recorded before this was called
 * (bin/synth.cjs listens from its first line, before the bundle loads).
 */
export function listenForSignals(early?: () => NodeJS.Signals | undefined): Interruption & { stop(): void } {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const record = (s: NodeJS.Signals) => {
    if (first !== undefined) return;
    first = s;
    controller.abort(s);
  };
  const fromEarly = () => {
    const s = early?.();
    if (s) record(s);
  };
  fromEarly();
  for (const s of HANDLED_SIGNALS) process.on(s, record);
  return {
    received: () => {
      fromEarly();
      return first;
    },
    abort: controller.signal,
    stop: () => {
      for (const s of HANDLED_SIGNALS) process.off(s, record);
    },
  };
}

/** Resolves with the signal once `i` is interrupted (never without one). */
export const whenInterrupted = (i: Interruption): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    if (i.abort.aborted) resolve(i.received()!);
    else i.abort.addEventListener('abort', () => resolve(i.received()!), { once: true });
  });
