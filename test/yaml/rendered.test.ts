// What synth renders goes through lib/yaml/ as it would through js-yaml: each document is written
// as js-yaml writes it, and each file and blueprint is read as js-yaml reads it, without js-yaml.
import path from 'node:path';
import yaml from 'js-yaml';
import { BLUEPRINT_SCHEMA } from '../../lib/upstream/blueprint-tags';
import { defaultInput, loadYamlFile, renderInput, ROOT } from '../support/helpers';
import { expectSameText, expectSameValues } from '../support/yaml-oracle';

const fixture = (name: string) => [name, () => loadYamlFile(path.join(ROOT, 'test/fixtures', name))] as const;
// The default cluster, and one fixture per renderer it does not reach: Flux, External Secrets,
// the three edge modes, a domain move, long names.
const INPUTS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['config/frank.ts', defaultInput],
  ...[
    'edge-cases.yaml',
    'flux.yaml',
    'external-secrets.yaml',
    'edge-gateway-api.yaml',
    'edge-traefik-crd.yaml',
    'edge-traefik-file.yaml',
    'migration.yaml',
    'long-names.yaml',
  ].map(fixture),
];

function* strings(v: unknown): Generator<string> {
  if (typeof v === 'string') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) yield* strings(x);
}

/** YAML inside a string (a blueprint in a ConfigMap, ArgoCD's oidc.config, a values file): its documents, or none. */
function nestedYaml(s: string): unknown[] {
  if (!s.includes('\n') || !/^[\w# -]/.test(s)) return [];
  try {
    const docs = yaml.loadAll(s, undefined, { schema: BLUEPRINT_SCHEMA });
    return docs.every((d) => d !== null && typeof d === 'object') ? docs : [];
  } catch {
    return [];
  }
}

describe.each(INPUTS)('%s', (_, input) => {
  const r = renderInput(input());

  it('each document and each YAML text inside one is written as js-yaml writes it', () => {
    let nested = 0;
    for (const d of r.files.flatMap((f) => f.docs ?? [])) {
      expectSameText(d);
      for (const s of strings(d))
        for (const n of nestedYaml(s)) {
          expectSameText(n, BLUEPRINT_SCHEMA);
          nested++;
        }
    }
    expect(nested).toBeGreaterThan(0);
  });

  it('each YAML file and each blueprint in one is read as js-yaml reads it', () => {
    const files = r.files.filter((f) => f.path.endsWith('.yaml'));
    for (const f of files) expectSameValues(f.text);
    let blueprints = 0;
    for (const d of files.flatMap((f) => f.docs ?? []))
      for (const [key, text] of Object.entries((d as { data?: Record<string, unknown> }).data ?? {}))
        if (key.endsWith('.yaml') && typeof text === 'string') {
          expectSameValues(text, BLUEPRINT_SCHEMA);
          blueprints++;
        }
    expect(files.length).toBeGreaterThan(5);
    expect(blueprints).toBeGreaterThan(0);
  });
});
