// Console capture for the safety tests; the tree snapshot is the shared one (test/support/helpers.ts).
export { snapshotTree } from '../support/helpers';

/** Console lines of one call, captured (console.error and console.log, process.stdout.write). */
export function capture<T>(run: () => T): { result: T; stderr: string[]; stdout: string[] } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
  try {
    return { result: run(), stderr, stdout };
  } finally {
    err.mockRestore();
    log.mockRestore();
    write.mockRestore();
  }
}
