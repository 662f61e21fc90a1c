// One CLI case in process: a config given as data is written to a temp JSON file, `main` runs
// with an output directory inside the same temp directory, and the result says what was printed
// and what the temp directory holds before and after (a refused run must leave it byte-identical:
// no output, no temp or old directory).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { snapshotTree } from '../support/helpers';

export interface CliRun {
  code: number;
  stderr: string[];
  stdout: string[];
  /** Every file under the run's directory after the run, path -> content. */
  after: Record<string, string>;
  before: Record<string, string>;
}

/** Run synth on `input` (a JSON-able config, or a config file's text with `ext`). */
export function runSynth(input: unknown, ext = '.json'): CliRun {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-safety-'));
  const out = path.join(base, 'out');
  const config = path.join(base, `config${ext}`);
  fs.writeFileSync(config, typeof input === 'string' ? input : JSON.stringify(input));
  const stderr: string[] = [];
  const stdout: string[] = [];
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  try {
    const before = snapshotTree(base);
    const code = main(['--config', config, '--out', out, '--baseline', 'none']);
    return { code, stderr, stdout, before, after: snapshotTree(base) };
  } finally {
    err.mockRestore();
    log.mockRestore();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The failure contract: exit 1, each line one line without a stack, the output untouched. */
export function expectRefused(run: CliRun): void {
  expect(run.code).toBe(1);
  expect(run.stderr.length).toBeGreaterThan(0);
  for (const l of run.stderr) {
    expect(l).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(l).not.toMatch(/^\s+at |Error: /);
  }
  expect(run.after).toEqual(run.before);
}
