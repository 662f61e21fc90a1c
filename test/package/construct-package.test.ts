// The construct package's contract in package.json (docs/construct-package.md): what it exports,
// what it ships, and that cdk8s, cdk8s-plus-28 and constructs are peers the project itself tests
// with. Installing the packed tarball into a fresh cdk8s app is CI's (.ci/construct-package.sh).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/helpers';

interface PackageJson {
  main: string;
  types: string;
  exports: Record<string, { types: string; default: string } | string>;
  files: string[];
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  scripts: Record<string, string>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

describe('package.json of the construct package', () => {
  test('main, types and the "." export are the built files, and only lib-dist/ is packed', () => {
    expect(pkg.exports['.']).toEqual({ types: `./${pkg.types}`, default: `./${pkg.main}` });
    expect(pkg.files).toEqual(['lib-dist/']);
    expect([pkg.main, pkg.types].every((f) => f.startsWith('lib-dist/'))).toBe(true);
  });

  test('cdk8s, cdk8s-plus-28 and constructs are peers from the version the project tests with', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(PEERS);
    for (const name of PEERS) expect(pkg.peerDependencies[name]).toBe(`^${pkg.devDependencies[name]}`);
  });

  test('no dependencies of its own: the bundle and its declarations carry everything but the peers', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  test('lib-dist/ is built, not committed, and built again by every npm pack', () => {
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('lib-dist/');
    expect(pkg.scripts.prepack).toBe(pkg.scripts['build:lib']);
  });
});
