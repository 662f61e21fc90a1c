// Import takes a Flux layer's post-build variables from the layer's own Flux Kustomization
// (lib/import/post-build.ts), as kustomize-controller substitutes them (docs/spec/v1/kustomizations.md,
// "Post build variable substitution"): spec.postBuild.substitute is a map of variables substituted
// into the manifests under spec.path after kustomize build; spec.postBuild.substituteFrom loads
// more from ConfigMaps and Secrets, with the inline substitute taking precedence over them, and a
// default `${var:=default}` applies only when neither sets the variable. `--substitute` is the
// operator's word over the map; what only substituteFrom could set is refused, one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importLayer, importMain } from '../../lib/import/cli';
import { ROOT } from '../support/helpers';

const LAYER = path.join(ROOT, 'test/fixtures/flux-layer');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-postbuild-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

/** `<root>/apps/authentik/{ks.yaml, app/<the fixture layer>}`, the Kustomization's spec.path naming app/. */
function fluxTree(name: string, postBuild: string, specPath = './apps/authentik/app'): string {
  const root = path.join(tmp, name);
  fs.cpSync(LAYER, path.join(root, 'apps/authentik/app'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'apps/authentik/ks.yaml'),
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: authentik\n  namespace: flux-system\nspec:\n  interval: 1h\n  path: ${specPath}\n  prune: true\n  deletionPolicy: Orphan\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n${postBuild}`,
  );
  return path.join(root, 'apps/authentik');
}

const urlOf = (r: ReturnType<typeof importLayer>) => (r.draft.config as { authentik: { url: string } }).authentik.url;

test('its postBuild.substitute is used without --substitute, and one line says so', () => {
  const from = fluxTree('map', '    substitute:\n      DOMAIN: home.example.net\n      TZ: Europe/Berlin\n');
  const out = path.join(tmp, 'map.yaml');
  const lines: string[] = [];
  const errors: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  expect(importMain(['--from', from, '--out', out])).toBe(0);
  expect(errors).toEqual([]);
  expect(lines.filter((l) => l.startsWith('post-build: '))).toEqual([
    `post-build: ${from}/ks.yaml: Kustomization flux-system/authentik's postBuild.substitute gives DOMAIN, TZ to the 4 files under apps/authentik/app`,
  ]);
  const draft = fs.readFileSync(out, 'utf8');
  expect(draft).toContain('url: https://auth.home.example.net');
  expect(draft).not.toContain('${DOMAIN');
});

test('--substitute overrides it, and the line names what it overrides', () => {
  const r = importLayer([fluxTree('override', '    substitute:\n      DOMAIN: home.example.net\n')], path.join(tmp, 'o.yaml'), {
    substitute: new Map([['DOMAIN', 'lab.example.org']]),
  });
  expect(urlOf(r)).toBe('https://auth.lab.example.org');
  expect(r.postBuild).toEqual([
    expect.stringMatching(/gives DOMAIN to the 4 files under apps\/authentik\/app; --substitute overrides DOMAIN$/),
  ]);
});

test("substituteFrom's variables are the operator's to give: one line naming them and the sources", () => {
  const from = fluxTree(
    'from',
    '    substitute:\n      TZ: Europe/Berlin\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n      - kind: Secret\n        name: cluster-secrets\n        optional: true\n',
  );
  expect(() => importLayer([from], path.join(tmp, 'f.yaml'))).toThrow(
    new RegExp(
      `^${from}/ks\\.yaml: Kustomization flux-system/authentik takes \\$\\{DOMAIN\\} from postBuild\\.substituteFrom \\(ConfigMap cluster-vars, Secret cluster-secrets\\), which import does not read .*: give it with --substitute KEY=VALUE$`,
    ),
  );
  // Given, the run goes on: --substitute stands in for what the cluster's ConfigMap holds.
  const r = importLayer([from], path.join(tmp, 'f.yaml'), { substitute: new Map([['DOMAIN', 'home.example.net']]) });
  expect(urlOf(r)).toBe('https://auth.home.example.net');
});

test('a layer without its HelmRelease is still read as Flux when its Kustomization substitutes: nothing adopted verbatim', () => {
  const from = fluxTree('no-release', '    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n');
  fs.rmSync(path.join(from, 'app/authentik.yaml'));
  expect(() => importLayer([from], path.join(tmp, 'n.yaml'), { authentikVersion: '2026.5.6' })).toThrow(
    /ks\.yaml: Kustomization flux-system\/authentik takes \$\{DOMAIN\} from postBuild\.substituteFrom \(ConfigMap cluster-vars\)/,
  );
});

test('a Kustomization that applies another directory gives these files nothing', () => {
  const from = fluxTree('elsewhere', '    substitute:\n      DOMAIN: home.example.net\n', './apps/other/app');
  expect(() => importLayer([from], path.join(tmp, 'e.yaml'))).toThrow(
    /app\/blueprints\.yaml: Flux post-build variable \$\{DOMAIN\} has no value and no default: give it with --substitute DOMAIN=<value>$/,
  );
});
