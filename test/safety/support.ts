// Shared by the safety tests: a scratch repository, in-process runs of the four commands with their
// output captured, and byte-for-byte snapshots of every file and directory under a path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
export { snapshotTree as snapshot } from '../support/helpers';

export interface Ran {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Run a command's main in `cwd`, capturing console and stdout lines. */
export function runIn(cwd: string, main: () => number): Ran {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((s) => stdout.push(String(s)) > 0);
  const cwd0 = process.cwd();
  process.chdir(cwd);
  try {
    return { code: main(), stdout, stderr };
  } finally {
    process.chdir(cwd0);
    log.mockRestore();
    err.mockRestore();
    write.mockRestore();
  }
}

export const scratch = (prefix: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ua-${prefix}-`)));

/** No line is a stack frame, an internal error or holds a line break. */
export const oneLineEach = (lines: string[]): boolean => lines.every((l) => !/\n|internal error|^\s+at /.test(l));
