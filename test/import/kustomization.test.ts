// A layer's kustomization.yaml as kustomize reads it (lib/import/kustomization.ts), per kustomize's
// api/types/kustomization.go: kind and apiVersion are optional (FixKustomization defaults them to
// Kustomization and kustomize.config.k8s.io/v1beta1, v1alpha1 for a Component), a kind or
// apiVersion it sets must be one kustomize accepts (EnforceFields), and an unknown field is an
// error (Unmarshal: DisallowUnknownFields). All in-process, on small layers in a temp directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readImportDirs } from '../../lib/import/read';
import { importLayer } from '../../lib/import/cli';
import { writeLayer } from '../support/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-kust-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const GROUP = 'version: 1\nmetadata: {name: lab-groups}\nentries:\n  - model: authentik_core.group\n    identifiers: {name: lab}\n';
const GENERATOR = 'configMapGenerator:\n  - name: auth-bps\n    files: [./bps/lab.yaml]\n';
let n = 0;
const layer = (kustomization: string, file = 'kustomization.yaml') =>
  writeLayer(tmp, `l${++n}`, { [file]: kustomization, 'bps/lab.yaml': GROUP });

describe('accepted as kustomize accepts it, with its defaults filled in', () => {
  test.each([
    ['neither kind nor apiVersion', GENERATOR, 'kustomize.config.k8s.io/v1beta1', 'Kustomization'],
    ['apiVersion only', `apiVersion: kustomize.config.k8s.io/v1beta1\n${GENERATOR}`, 'kustomize.config.k8s.io/v1beta1', 'Kustomization'],
    ['kind only', `kind: Kustomization\n${GENERATOR}`, 'kustomize.config.k8s.io/v1beta1', 'Kustomization'],
    ['a Component without apiVersion', `kind: Component\n${GENERATOR}`, 'kustomize.config.k8s.io/v1alpha1', 'Component'],
  ])('%s', (_name, text, apiVersion, kind) => {
    const l = readImportDirs([layer(text)]);
    expect(l.objects.map((o) => [o.doc.apiVersion, o.doc.kind])).toEqual([[apiVersion, kind]]);
    // Its generator still names the ConfigMap the raw blueprint file goes into.
    expect(l.blueprints.map((b) => b.configMap)).toEqual(['auth-bps']);
  });

  test('kustomization.yml too, and import adopts the layer with the generated ConfigMap', () => {
    const dir = layer(`namespace: authentik\n${GENERATOR}`, 'kustomization.yml');
    const r = importLayer([dir], path.join(tmp, 'draft.yaml'), { authentikVersion: '2026.2.3' });
    expect(r.problems).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(JSON.stringify(r.draft.config)).toContain('auth-bps');
  });
});

describe('refused when kustomize would refuse it: one line naming the file and why', () => {
  test.each([
    [
      'a values file that carries the name',
      'global:\n  env:\n    - name: AUTHENTIK_HOST\n      value: https://auth.example.net\n',
      /kustomization\.yaml: document 1 is not a kustomization kustomize accepts: "global": not a field of a kustomization/,
    ],
    [
      'an unknown field beside real ones',
      `${GENERATOR}resourcez: [./a.yaml]\n`,
      /kustomization\.yaml: document 1 is not a kustomization kustomize accepts: "resourcez": not a field/,
    ],
    [
      'an apiVersion kustomize does not have',
      `apiVersion: kustomize.config.k8s.io/v1\n${GENERATOR}`,
      /kustomization\.yaml: document 1 is not a kustomization kustomize accepts: apiVersion for Kustomization should be kustomize\.config\.k8s\.io\/v1beta1/,
    ],
    [
      "a Component with a Kustomization's apiVersion",
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\n${GENERATOR}`,
      /apiVersion for Component should be kustomize\.config\.k8s\.io\/v1alpha1/,
    ],
  ])('%s', (_name, text, line) => {
    const dir = layer(text);
    let message = '';
    try {
      readImportDirs([dir]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(line);
    expect(message).not.toContain('\n');
    expect(message.startsWith(path.join(dir, 'kustomization.yaml'))).toBe(true);
  });

  test('a document of another kind in a kustomization file is still read as what it says it is', () => {
    const l = readImportDirs([layer(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {}\n`)]);
    expect(l.objects.map((o) => o.doc.kind)).toEqual(['ConfigMap']);
  });
});
