// `--version` on every command prints the package's version, exits 0 and reads no config.
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../main';
import { planMain } from '../../lib/plan/cli';
import { importMain } from '../../lib/import/cli';
import { ROOT } from '../support/helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

test.each([
  ['synth', () => main(['--version', '--config', 'no-such-file.yaml'])],
  ['check', () => main(['--check', '--version'])],
  ['plan', () => planMain(['--version'])],
  ['import', () => importMain(['--version'])],
])('%s --version prints unified-auth <package.json version>', (_name, run) => {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(run()).toBe(0);
    expect(out).toEqual([`unified-auth ${pkg.version}`]);
    expect(err).not.toHaveBeenCalled();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
});
